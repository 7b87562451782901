// The offices that issue written notices (docs/policy.md §2.6): the township government or the county bureau, with the
// address and telephone printed on every notice, and their sequential document numbers (文号) per office and year.
import { COUNTY_REGION } from '../domain/glossary';
import type { ConfirmingLevel } from '../domain/policy';
import type { Db } from './db';

export interface Office {
  code: string;
  /** e.g. 七里营镇人民政府, 新乡县民政局 */
  name: string;
  /** What the document number starts with, e.g. 七里营镇民救 */
  numberPrefix: string;
  address: string;
  telephone: string;
}

/** The office that decides at `level` for a case of `regionCode` (its township, or the county). */
export async function officeFor(db: Db, regionCode: string, level: ConfirmingLevel): Promise<Office> {
  const code = level === 'TOWNSHIP' ? regionCode.slice(0, 9) : regionCode.slice(0, 6) || COUNTY_REGION;
  const r = await db('regions').where({ code }).first('name', 'office_name', 'office_address', 'office_telephone');
  const township = level === 'TOWNSHIP';
  const name = (r?.office_name as string | null) ?? (township ? `${r?.name ?? code}人民政府` : '新乡县民政局');
  return {
    code,
    name,
    numberPrefix: township ? `${r?.name ?? code}民救` : '新县民救',
    address: (r?.office_address as string | null) ?? '（地址未登记）',
    telephone: (r?.office_telephone as string | null) ?? '（电话未登记）',
  };
}

/**
 * The next document number of `office` in `year`, e.g. 七里营镇民救〔2026〕3号. Call it in the transaction that stores
 * the notice: a rolled-back attempt gives its number back, so the numbers have no gaps.
 */
export async function takeNoticeNo(trx: Db, office: Office, year: number): Promise<string> {
  const [{ last_no: n }] = (
    await trx.raw(
      `insert into notice_numbers (office_code, year, last_no) values (?, ?, 1)
       on conflict (office_code, year) do update set last_no = notice_numbers.last_no + 1
       returning last_no`,
      [office.code, year],
    )
  ).rows as { last_no: number }[];
  return `${office.numberPrefix}〔${year}〕${n}号`;
}
