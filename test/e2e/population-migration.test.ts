// migrations/010_population.ts on rows shaped as before it: members with plaintext names and ID numbers, the same
// person in several households, a recipient paid twice a month. After it: one person per ID number, households that
// shared a member merged (the others pointing at the survivor), every case kept, the duplicate line marked.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { E2E_ENV_FILE } from '../support/global-setup';
import { useE2eIdKeys } from '../support/stack';
import { createKnex } from '../../data/db';
import { openIdNumber } from '../../data/id-keys';
import { migrateLatest, migrateUpTo } from '../../migrations';
import { seed } from '../../migrations/seed';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';
import { checkCharacter } from '../../domain/idNumber';

jest.setTimeout(60_000);

const NAME = `doudi_migration_${process.pid}`;
let admin: string;
let db: Knex;

const id = (first17: string) => first17 + checkCharacter(first17);
const ALICE = id('41072119750615002');
const BOB = id('41072119800101001');
const CAROL = id('41072119900202004');

beforeAll(async () => {
  useE2eIdKeys();
  const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { databaseUrl: string };
  admin = databaseUrlFor(env.databaseUrl, 'postgres');
  await dropDatabase(admin, NAME);
  await ensureDatabase(admin, NAME);
  db = createKnex(databaseUrlFor(env.databaseUrl, NAME));
  await migrateUpTo(db, '009_zzz');
  await seed(db);
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(admin, NAME);
});

async function household(at: string, members: [string, string, string][]) {
  const h = randomUUID();
  await db('households').insert({ id: h, region_code: '410721100', residence: 'RURAL', created_at: at, economy: null });
  for (const [key, name, number] of members)
    await db('members').insert({
      id: randomUUID(),
      household_id: h,
      member_key: key,
      name,
      id_number: number,
      relation: key === 'm1' ? 'APPLICANT' : 'SPOUSE',
      birth_date: `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`,
      sex: 'F',
    });
  const c = randomUUID();
  await db('cases').insert({
    id: c,
    process: 'application',
    workflow_id: `application-${c}`,
    household_id: h,
    region_code: '410721100',
    status: 'APPROVED',
    received_on: at.slice(0, 10),
    created_by: 'old',
  });
  return { h, c };
}

it('merges households that share a member, keeps every case and marks the roster line paid twice', async () => {
  // Alice applied alone, then with Bob, then Bob alone; Carol is on her own.
  const one = await household('2025-01-05T00:00:00Z', [['m1', '王秀英', ALICE]]);
  const two = await household('2025-03-05T00:00:00Z', [
    ['m1', '王秀英', ALICE],
    ['m2', '李四', BOB],
  ]);
  const three = await household('2025-05-05T00:00:00Z', [['m1', '李四', BOB]]);
  const carol = await household('2025-02-01T00:00:00Z', [['m1', '赵敏', CAROL]]);
  const recipients = [randomUUID(), randomUUID()];
  for (const [i, c] of [one.c, two.c].entries())
    await db('recipients').insert({
      id: recipients[i],
      case_id: c,
      household_id: i ? two.h : one.h,
      region_code: '410721100',
      category: 'DIBAO',
      monthly_amount: 220,
      start_month: '2025-06',
      determined_on: '2025-05-20',
      status: 'ACTIVE',
    });
  for (const [i, r] of recipients.entries())
    await db('payments').insert({
      id: `monthly:${r}:2025-07`,
      kind: 'MONTHLY',
      household_id: i ? two.h : one.h,
      recipient_id: r,
      case_id: i ? two.c : one.c,
      region_code: '410721100',
      month: '2025-07',
      amount: 220,
      created_at: `2025-07-01T02:00:0${i}Z`,
    });

  expect(await migrateLatest(db)).toContain('010_population');

  const people = await db('people').select('id', 'name', 'id_cipher', 'id_key');
  expect(people.map((p) => openIdNumber({ cipher: p.id_cipher, keyId: p.id_key })).sort()).toEqual(
    [ALICE, BOB, CAROL].sort(),
  );
  expect(people.find((p) => openIdNumber({ cipher: p.id_cipher, keyId: p.id_key }) === BOB)!.name).toBe('李四');

  // The earliest household survives; the others point at it; every case now hangs off it.
  const merged = await db('households').whereIn('id', [two.h, three.h]).select('merged_into');
  expect(merged).toEqual([{ merged_into: one.h }, { merged_into: one.h }]);
  expect(await db('households').where({ id: carol.h }).first('merged_into')).toEqual({ merged_into: null });
  const cases = await db('cases').whereIn('id', [one.c, two.c, three.c]).select('household_id');
  expect(cases.map((c) => c.household_id)).toEqual([one.h, one.h, one.h]);
  // One current membership per person.
  const members = await db('members').where({ household_id: one.h }).whereNull('left_on');
  expect(members).toHaveLength(2);
  expect(members.map((m) => m.joined_on).sort()).toEqual(['2025-01-05', '2025-03-05']);
  // Each case keeps who it was about and its member keys.
  expect(
    await db('case_people').where({ case_id: two.c }).orderBy('member_key').select('member_key', 'relation'),
  ).toEqual([
    { member_key: 'm1', relation: 'APPLICANT' },
    { member_key: 'm2', relation: 'SPOUSE' },
  ]);
  // Both recipients cover Alice: the second July line is the duplicate, and the constraint now holds.
  const lines = await db('payments').where({ month: '2025-07' }).orderBy('created_at').select('id', 'duplicate_of');
  expect(lines).toEqual([
    { id: `monthly:${recipients[0]}:2025-07`, duplicate_of: null },
    { id: `monthly:${recipients[1]}:2025-07`, duplicate_of: `monthly:${recipients[0]}:2025-07` },
  ]);
  // No plaintext left in members.
  const columns = await db('information_schema.columns').where({ table_name: 'members' }).pluck('column_name');
  expect(columns).not.toContain('id_number');
  expect(columns).not.toContain('name');
});
