// The warning workflow's input and result: ids, codes and dates only, never names or ID numbers.
import type { IsoDate } from '../../domain/calendar';
import type { WarningClass, WarningSource } from '../../domain/monitoring';

export interface WarningInput {
  warningId: string; // = its case id; workflow id `warning-<warningId>`
  regionCode: string;
  warningClass: WarningClass;
  source: WarningSource;
  raisedOn: IsoDate;
}

export interface WarningResult {
  status: 'CLOSED' | 'DISMISSED';
  outcome: string;
}
