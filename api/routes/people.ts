// Finding a person in the population database (docs/policy.md §7.1): by exact ID number — audited, who looked whom
// up — or by name within one's region; the answer shows their households, cases, recipient status and chain.
// A person outside the caller's region looks absent (404), as a case does (api/http/scope.ts).
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { Knex } from 'knex';
import type { RouteModule } from '../http/context';
import { inScope, scopedRegion, type User } from '../http/auth';
import { badRequest, notFound } from '../http/errors';
import { RegionCodeSchema, iso } from '../http/schemas';
import { audit } from '../../data/audit';
import { chainView, personChain } from '../../data/assistance-chain';
import type { Row } from '../../data/db';
import { findPeopleByName, findPersonByIdNumber, idNumberOf } from '../../data/people';
import type { Role } from '../../domain/glossary';
import { parseIdNumber } from '../../domain/idNumber';
import { shanghaiDate } from '../../domain/calendar';

const SEARCHERS: readonly Role[] = ['caseworker', 'village_assistant', 'reviewer', 'county_officer', 'supervisor'];
const Params = z.object({ id: z.string().uuid() });
const LookupBody = z.object({ idNumber: z.string().trim().min(1).max(20) }).strict();
const NameQuery = z.object({
  name: text(50),
  region: RegionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The regions a person is known in: every household they lived in, every case about them. */
async function regionsOf(db: Knex, personId: string): Promise<string[]> {
  const rows = await db
    .select('h.region_code')
    .from('members as m')
    .join('households as h', 'h.id', 'm.household_id')
    .where('m.person_id', personId)
    .union((q) =>
      q
        .select('c.region_code')
        .from('case_people as cp')
        .join('cases as c', 'c.id', 'cp.case_id')
        .where('cp.person_id', personId),
    );
  return rows.map((r) => r.region_code);
}

export async function visiblePerson(db: Knex, user: User, personId: string): Promise<Row> {
  const p = await db('people').where({ id: personId }).first();
  if (!p) throw notFound('person');
  if (!(await regionsOf(db, p.id)).some((r) => inScope(user, r))) throw notFound('person');
  return p;
}

/** In full: the API layer masks it for the roles that may not read it (domain/access.ts). */
function identity(p: Row) {
  return { id: p.id, name: p.name, idNumber: idNumberOf(p), birthDate: p.birth_date, sex: p.sex };
}

async function personView(db: Knex, user: User, p: Row) {
  const [households, recipients, chain] = await Promise.all([
    db('members as m')
      .join('households as h', 'h.id', 'm.household_id')
      .where('m.person_id', p.id)
      .orderBy('m.joined_on')
      .select('h.id', 'h.region_code', 'h.residence', 'm.relation', 'm.joined_on', 'm.left_on'),
    db('recipients as r')
      .join('case_people as cp', 'cp.case_id', 'r.case_id')
      .where('cp.person_id', p.id)
      .orderBy('r.created_at')
      .select('r.id', 'r.category', 'r.status', 'r.region_code', 'r.monthly_amount', 'r.start_month', 'r.stop_month'),
    personChain(db, p.id),
  ]);
  const view = chainView(chain);
  return {
    person: identity(p),
    households: households.map((h) => ({
      id: h.id,
      regionCode: h.region_code,
      residence: h.residence,
      relation: h.relation,
      joinedOn: h.joined_on,
      leftOn: h.left_on ?? null,
      current: h.left_on == null,
    })),
    // Other townships' cases are named without their details (the township only).
    cases: view.cases.map((c) => (inScope(user, c.regionCode) ? c : { regionCode: c.regionCode, process: c.process })),
    recipient: recipients.map((r) => ({
      id: r.id,
      category: r.category,
      status: r.status,
      regionCode: r.region_code,
      monthlyAmount: r.monthly_amount,
      startMonth: r.start_month,
      stopMonth: r.stop_month ?? null,
      active: r.status === 'ACTIVE',
    })),
    chain: { ...view, cases: undefined },
    updatedAt: iso(p.updated_at),
  };
}

export const peopleRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'post',
      path: '/people/lookup',
      tag: 'people',
      summary: 'Find a person by exact ID number (in the body, never in a URL); every lookup is audited',
      roles: SEARCHERS,
      body: LookupBody,
      errors: [400, 403, 404],
    },
    async ({ user, body }) => {
      const id = parseIdNumber(body.idNumber, { today: shanghaiDate(Date.now()) });
      if (!id.valid) throw badRequest(id.message, [{ path: 'idNumber', message: id.message }]);
      const found = await findPersonByIdNumber(db, id.normalized);
      const visible = found ? await visiblePerson(db, user, found.id).catch(() => undefined) : undefined;
      // Who looked whom up: the person's id when found (also when outside the caller's region), never the number.
      await audit(db, {
        actor: user.sub,
        role: user.role,
        action: 'person.lookup',
        entity: 'person',
        entityId: found?.id,
        after: { found: !!found, visible: !!visible },
      });
      if (!visible) throw notFound('person');
      return personView(db, user, visible);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/people',
      tag: 'people',
      summary: 'People whose name starts with `name`, with a household or a case in your region',
      roles: SEARCHERS,
      query: NameQuery,
      errors: [400, 403],
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const rows = await findPeopleByName(db, query.name, region, query.limit);
      await audit(db, {
        actor: user.sub,
        role: user.role,
        action: 'person.search',
        entity: 'person',
        after: { region, results: rows.length },
      });
      return { items: rows.map(identity) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/people/:id',
      tag: 'people',
      summary: 'A person: households over time, cases, recipient status, assistance chain',
      roles: SEARCHERS,
      params: Params,
      errors: [400, 403, 404],
    },
    async ({ user, params }) => personView(db, user, await visiblePerson(db, user, params.id)),
  );
};
