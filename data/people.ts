// Households and their members: the only place names and ID numbers are stored. Nothing here is ever logged, put
// into a workflow input or a search attribute (docs/architecture.md, "Personal data").
import type { Db } from './db';

export interface NewHousehold {
  id: string;
  regionCode: string;
  villageCode?: string | null;
  residence: string;
  address?: string | null;
  /** The household economic model (domain/household.ts), or null when not known yet (an emergency). */
  economy: unknown;
}

export interface NewMember {
  id: string;
  householdId: string;
  memberKey: string;
  name: string;
  idNumber: string;
  relation: string;
  birthDate: string;
  sex: 'M' | 'F';
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

export async function insertMembers(db: Db, members: NewMember[]): Promise<void> {
  if (!members.length) return;
  await db('members').insert(
    members.map((m) => ({
      id: m.id,
      household_id: m.householdId,
      member_key: m.memberKey,
      name: m.name,
      id_number: m.idNumber,
      relation: m.relation,
      birth_date: m.birthDate,
      sex: m.sex,
    })),
  );
}

/** The earliest member row of a person, by normalised ID number. */
export function findMemberByIdNumber(db: Db, idNumber: string) {
  return db('members').where({ id_number: idNumber }).orderBy('id').first('id', 'household_id');
}

export function membersOf(db: Db, householdId: string) {
  return db('members')
    .where({ household_id: householdId })
    .orderBy('member_key')
    .select('id', 'member_key', 'name', 'id_number', 'relation', 'birth_date', 'sex');
}

/** The applicant's (head of household's) name, for notices and lists. */
export async function applicantName(db: Db, householdId: string): Promise<string | undefined> {
  const row = await db('members').where({ household_id: householdId, relation: 'APPLICANT' }).first('name');
  return row?.name;
}

export function getHousehold(db: Db, id: string) {
  return db('households').where({ id }).first();
}

export async function setEconomy(db: Db, householdId: string, economy: unknown): Promise<void> {
  await db('households')
    .where({ id: householdId })
    .update({ economy: JSON.stringify(economy) });
}
