// The population database's people and households (docs/policy.md §7.1): one `people` row per ID number — found by its
// keyed hash, the number itself encrypted (data/id-keys.ts) — and households as sets of people over time (`members`
// with joined_on / left_on). Names and ID numbers are stored here only; nothing here is ever logged, put into a
// workflow input or a search attribute (docs/architecture.md, "Personal data").
import { randomUUID } from 'node:crypto';
import type { Db, Row } from './db';
import { lookupHash, openIdNumber, sealIdNumber } from './id-keys';

export interface NewHousehold {
  id: string;
  regionCode: string;
  villageCode?: string | null;
  residence: string;
  address?: string | null;
  /** The household economic model (domain/household.ts), or null when not known yet (an emergency). */
  economy: unknown;
}

/** A person as an application or a report names them; `idNumber` normalised (domain/idNumber.ts). */
export interface PersonFacts {
  idNumber: string;
  name: string;
  birthDate: string;
  sex: 'M' | 'F';
}

export interface Person {
  id: string;
  created: boolean;
}

/** The full ID number of a people row; the API layer masks it for the roles that may not read it (domain/access.ts). */
export const idNumberOf = (p: Row): string => openIdNumber({ cipher: p.id_cipher, keyId: p.id_key });

/**
 * Serialises everything that opens a case or pays for these people until the transaction ends, so two requests for
 * one person cannot both pass the "no open case" and cap checks. Locks are taken in key order: no deadlock.
 */
export async function lockPeople(trx: Db, idNumbers: string[]): Promise<void> {
  const keys = [...new Set(idNumbers.map((n) => lookupHash(n).readBigInt64BE(0).toString()))].sort();
  for (const k of keys) await trx.raw('select pg_advisory_xact_lock(?::bigint)', [k]);
}

/** Finds or creates the person of each ID number (locked first); a changed name is updated to the latest declared. */
export async function resolvePeople(trx: Db, facts: PersonFacts[]): Promise<Map<string, Person>> {
  await lockPeople(
    trx,
    facts.map((f) => f.idNumber),
  );
  const out = new Map<string, Person>();
  for (const f of facts) {
    const hash = lookupHash(f.idNumber);
    const found = await trx('people').where({ id_hash: hash }).first('id', 'name');
    if (found) {
      if (found.name !== f.name)
        await trx('people').where({ id: found.id }).update({ name: f.name, updated_at: trx.fn.now() });
      out.set(f.idNumber, { id: found.id, created: false });
      continue;
    }
    const id = randomUUID();
    const sealed = sealIdNumber(f.idNumber);
    await trx('people').insert({
      id,
      id_hash: hash,
      id_cipher: sealed.cipher,
      id_key: sealed.keyId,
      name: f.name,
      birth_date: f.birthDate,
      sex: f.sex,
    });
    out.set(f.idNumber, { id, created: true });
  }
  return out;
}

/** The person with this (normalised) ID number, or undefined. */
export function findPersonByIdNumber(db: Db, idNumber: string) {
  return db('people')
    .where({ id_hash: lookupHash(idNumber) })
    .first();
}

/** People whose name starts with `name` and who have a household or a case inside `region`. */
export function findPeopleByName(db: Db, name: string, region: string, limit = 50) {
  const prefix = name.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
  return db('people as p')
    .where('p.name', 'like', prefix)
    .where((q) =>
      q
        .whereExists((s) =>
          s
            .select(1)
            .from('members as m')
            .join('households as h', 'h.id', 'm.household_id')
            .whereRaw('m.person_id = p.id')
            .where('h.region_code', 'like', `${region}%`),
        )
        .orWhereExists((s) =>
          s
            .select(1)
            .from('case_people as cp')
            .join('cases as c', 'c.id', 'cp.case_id')
            .whereRaw('cp.person_id = p.id')
            .where('c.region_code', 'like', `${region}%`),
        ),
    )
    .orderBy(['p.name', 'p.id'])
    .limit(limit)
    .select('p.*');
}

/** The current household of each person (at most one: members_current_person_uq). */
export async function currentHouseholds(db: Db, personIds: string[]): Promise<Map<string, string>> {
  if (!personIds.length) return new Map();
  const rows = await db('members')
    .whereIn('person_id', personIds)
    .whereNull('left_on')
    .select('person_id', 'household_id');
  return new Map(rows.map((r) => [r.person_id as string, r.household_id as string]));
}

export async function insertHousehold(db: Db, h: NewHousehold): Promise<void> {
  await db('households').insert({
    id: h.id,
    region_code: h.regionCode,
    village_code: h.villageCode ?? null,
    residence: h.residence,
    address: h.address ?? null,
    economy: h.economy == null ? null : JSON.stringify(h.economy),
  });
}

export interface HouseholdMember {
  personId: string;
  relation: string;
}

/**
 * The household these people live in now, as `on` (a date): the known household of the applicant, else the known
 * household holding most of them, else a new one (`newId`). Its membership becomes exactly these people: newcomers
 * join (leaving their previous household), members not named any more leave. The household's facts become the latest
 * declared. Returns the household id.
 */
export async function settleHousehold(
  trx: Db,
  spec: { newId: string; on: string; people: HouseholdMember[]; facts: Omit<NewHousehold, 'id'>; exact: boolean },
): Promise<string> {
  const ids = spec.people.map((p) => p.personId);
  const current = await currentHouseholds(trx, ids);
  const applicant = spec.people.find((p) => p.relation === 'APPLICANT');
  let householdId = applicant ? current.get(applicant.personId) : undefined;
  if (!householdId && current.size) {
    const counts = new Map<string, number>();
    for (const h of current.values()) counts.set(h, (counts.get(h) ?? 0) + 1);
    householdId = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  }
  if (!householdId) {
    householdId = spec.newId;
    await insertHousehold(trx, { id: householdId, ...spec.facts });
  } else {
    const patch: Record<string, unknown> = {
      region_code: spec.facts.regionCode,
      residence: spec.facts.residence,
      updated_at: trx.fn.now(),
    };
    if (spec.facts.villageCode != null) patch.village_code = spec.facts.villageCode;
    if (spec.facts.address != null) patch.address = spec.facts.address;
    if (spec.facts.economy != null) patch.economy = JSON.stringify(spec.facts.economy);
    await trx('households').where({ id: householdId }).update(patch);
  }
  // Newcomers leave the household they lived in; with `exact`, members not named any more leave this one.
  const moving = spec.people.filter((p) => current.has(p.personId) && current.get(p.personId) !== householdId);
  if (moving.length)
    await trx('members')
      .whereIn(
        'person_id',
        moving.map((p) => p.personId),
      )
      .whereNull('left_on')
      .update({ left_on: spec.on });
  if (spec.exact)
    await trx('members').where({ household_id: householdId }).whereNull('left_on').whereNotIn('person_id', ids).update({
      left_on: spec.on,
    });
  const facts = new Map(
    (await trx('people').whereIn('id', ids).select('id', 'birth_date', 'sex')).map((r) => [r.id as string, r]),
  );
  for (const p of spec.people) {
    if (current.get(p.personId) === householdId) {
      await trx('members').where({ person_id: p.personId }).whereNull('left_on').update({ relation: p.relation });
    } else {
      await trx('members').insert({
        id: randomUUID(),
        household_id: householdId,
        person_id: p.personId,
        relation: p.relation,
        birth_date: facts.get(p.personId)?.birth_date,
        sex: facts.get(p.personId)?.sex,
        joined_on: spec.on,
      });
    }
  }
  return householdId;
}

export interface CasePerson {
  personId: string;
  memberKey: string;
  relation: string;
}

export async function insertCasePeople(db: Db, caseId: string, people: CasePerson[]): Promise<void> {
  if (!people.length) return;
  await db('case_people')
    .insert(
      people.map((p) => ({ case_id: caseId, person_id: p.personId, member_key: p.memberKey, relation: p.relation })),
    )
    .onConflict(['case_id', 'person_id'])
    .ignore();
}

/** The people of a case with the member keys of its economic model. */
export function casePeopleOf(db: Db, caseId: string) {
  return db('case_people as cp')
    .join('people as p', 'p.id', 'cp.person_id')
    .where('cp.case_id', caseId)
    .orderBy('cp.member_key')
    .select(
      'cp.member_key',
      'cp.relation',
      'p.id as person_id',
      'p.name',
      'p.id_cipher',
      'p.id_key',
      'p.birth_date',
      'p.sex',
    );
}

/** Members of a household (current ones unless `all`), with their people rows. */
export function membersOf(db: Db, householdId: string, opts: { all?: boolean } = {}) {
  const q = db('members as m')
    .join('people as p', 'p.id', 'm.person_id')
    .where('m.household_id', householdId)
    .orderBy([{ column: 'm.joined_on' }, { column: 'p.name' }])
    .select(
      'm.relation',
      'm.joined_on',
      'm.left_on',
      'p.id as person_id',
      'p.name',
      'p.id_cipher',
      'p.id_key',
      'p.birth_date',
      'p.sex',
    );
  if (!opts.all) q.whereNull('m.left_on');
  return q;
}

/** The applicant's name of a case, for notices and lists. */
export async function applicantName(db: Db, caseId: string): Promise<string | undefined> {
  const row = await db('case_people as cp')
    .join('people as p', 'p.id', 'cp.person_id')
    .where({ 'cp.case_id': caseId, 'cp.relation': 'APPLICANT' })
    .first('p.name');
  return row?.name;
}

/** The household a merged household was merged into (the id itself when it was not merged). */
export async function survivingHousehold(db: Db, id: string): Promise<string> {
  let current = id;
  for (let i = 0; i < 10; i++) {
    const h = await db('households').where({ id: current }).first('merged_into');
    if (!h?.merged_into) return current;
    current = h.merged_into;
  }
  return current;
}

export function getHousehold(db: Db, id: string) {
  return db('households').where({ id }).first();
}

/** The household model of a case: the latest verified (households.economy) and the case's own copy. */
export async function setEconomy(db: Db, householdId: string, economy: unknown, caseId?: string): Promise<void> {
  await db('households')
    .where({ id: householdId })
    .update({ economy: JSON.stringify(economy) });
  if (caseId)
    await db('cases')
      .where({ id: caseId })
      .update({ economy: JSON.stringify(economy) });
}
