// Reference data for Xinxiang County: townships, the 2025–2026 calendar, sample policy parameters, supervisor contacts.
// Idempotent: a second run changes nothing, and never overwrites what an admin loaded.
import type { Knex } from 'knex';
import { SEED_CALENDAR_YEARS } from '../domain/calendar';
import { SEED_POLICY_VERSIONS } from '../domain/policy';
import { COUNTY_REGION } from '../domain/glossary';
import { saveCalendarYear } from '../data/calendar';

/** Township codes as seeded; confirm against the county's current division codes before go-live. */
export const TOWNSHIPS: [code: string, name: string][] = [
  ['410721100', '七里营镇'],
  ['410721101', '朗公庙镇'],
  ['410721102', '古固寨镇'],
  ['410721103', '大召营镇'],
  ['410721104', '翟坡镇'],
  ['410721105', '小冀镇'],
  ['410721200', '合河乡'],
];

export async function seed(db: Knex): Promise<void> {
  await db('regions')
    .insert({ code: COUNTY_REGION, name: '新乡县', level: 'COUNTY', parent_code: null })
    .onConflict('code')
    .ignore();
  await db('regions')
    .insert(TOWNSHIPS.map(([code, name]) => ({ code, name, level: 'TOWNSHIP', parent_code: COUNTY_REGION })))
    .onConflict('code')
    .ignore();

  const loaded = new Set((await db('calendar_years').select('year')).map((r) => r.year));
  for (const y of SEED_CALENDAR_YEARS) if (!loaded.has(y.year)) await saveCalendarYear(db, y, 'seed');

  await db('policy_versions')
    .insert(
      SEED_POLICY_VERSIONS.map((v) => ({
        id: v.id,
        region_code: v.regionCode,
        effective_from: v.effectiveFrom,
        parameters: JSON.stringify(v.parameters),
        sample: v.sample,
        created_by: 'seed',
      })),
    )
    .onConflict('id')
    .ignore();

  // The issuing offices' particulars printed on every notice (docs/policy.md §2.6). Sample values, marked as such,
  // until an admin records the real ones; never overwritten once set.
  await db('regions').where({ code: COUNTY_REGION }).whereNull('office_address').update({
    office_name: '新乡县民政局',
    office_address: '新乡县民政局（示例地址，上线前确认）',
    office_telephone: '0373-0000000（示例）',
  });
  for (const [code, name] of TOWNSHIPS) {
    await db('regions')
      .where({ code })
      .whereNull('office_address')
      .update({
        office_name: `${name}人民政府`,
        office_address: `新乡县${name}人民政府社会事务办公室（示例地址，上线前确认）`,
        office_telephone: '0373-0000000（示例）',
      });
  }

  // Overdue alerts go to each township's supervisors and the county's; the file journal stands in until addresses are
  // set.
  const contacts = [COUNTY_REGION, ...TOWNSHIPS.map(([code]) => code)].map((code) => ({
    region_code: code,
    role: 'supervisor',
    channel: 'LOG',
    address: `supervisor@${code}`,
  }));
  await db('region_contacts').insert(contacts).onConflict(['region_code', 'role', 'channel', 'address']).ignore();
}
