// What activities need from the outside world; tests pass their own (the samples' pattern).
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Channel } from '../../data/outbox';
import type { Transport } from '../notifications/transports';

export interface ActivityDeps {
  db: Knex;
  transports?: Map<Channel, Transport>;
  /**
   * Working days after the due date before an overdue deadline goes to the county (default:
   * DEADLINE_ESCALATION_WORKING_DAYS or 2).
   */
  countyEscalationWorkingDays?: number;
  /** For activities that start workflows in bulk (a comparison run starts one warning workflow per new warning). */
  temporal?: { client: Client; taskQueue: string };
}
