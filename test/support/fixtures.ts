// Households and people for tests: valid ID numbers are made with the real check-character rule.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { checkCharacter } from '../../domain/idNumber';
import { type Household } from '../../domain/household';

// One person per ID number across the whole run (docs/policy.md §7.4): the end-to-end files share one database, so the
// sequence continues from file to file instead of restarting, and two files never apply for the same person.
const SEQ_FILE = join(PROJECT_ROOT, '.tmp', 'fixture-id-seq');
function nextSeq(): number {
  let seq = 0;
  try {
    seq = Number(readFileSync(SEQ_FILE, 'utf8')) || 0;
  } catch {
    mkdirSync(join(PROJECT_ROOT, '.tmp'), { recursive: true });
  }
  seq = (seq + 2) % 998;
  writeFileSync(SEQ_FILE, String(seq));
  return seq;
}

/** A valid Xinxiang County ID number for a birth date; odd sequence = male. */
export function idNumber(birthDate: string, sex: 'M' | 'F' = 'M'): string {
  const seq = nextSeq();
  const s = String(seq + (sex === 'M' ? 1 : 0)).padStart(3, '0');
  const first17 = `410721${birthDate.replace(/-/g, '')}${s}`;
  return first17 + checkCharacter(first17);
}

/** A rural one-person household with 200 yuan income: assessed DIBAO, 220 yuan under the 2025 sample parameters. */
export function singlePersonApplication(overrides: { regionCode?: string; receivedOn?: string } = {}) {
  const birthDate = '1975-06-15';
  const household: Household = {
    residence: 'RURAL',
    members: [
      {
        memberId: 'm1',
        relation: 'APPLICANT',
        birthDate,
        laborCapacity: 'PARTIAL',
        seriousIllness: false,
        studentLevel: 'NONE',
        employed: false,
      },
    ],
    incomes: [{ memberId: 'm1', kind: 'WAGES', monthlyAmount: 200 }],
    assets: { deposits: 1000, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
    rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0 },
    legalSupporters: [],
  };
  return {
    regionCode: overrides.regionCode ?? '410721100',
    source: 'SELF_DECLARED',
    ...(overrides.receivedOn ? { receivedOn: overrides.receivedOn } : {}),
    people: [{ memberId: 'm1', name: '王秀英', idNumber: idNumber(birthDate, 'F') }],
    household,
  };
}
