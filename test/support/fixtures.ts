// Households and people for tests: valid ID numbers are made with the real check-character rule.
import { checkCharacter } from '../../domain/idNumber';
import { type Household } from '../../domain/household';

let seq = 0;
/** A valid Xinxiang County ID number for a birth date; odd sequence = male. */
export function idNumber(birthDate: string, sex: 'M' | 'F' = 'M'): string {
  seq = (seq + 2) % 998;
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
