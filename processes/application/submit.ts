// Submitting an application (申请): checks the people against their ID numbers, then opens the case — people,
// household, case row and audit in one transaction — and starts its workflow (engine/open-case.ts). One person, one
// open application: a person with an open application, or already an active recipient, is answered 409
// (docs/policy.md §7.4); members of a known household re-apply as that household (data/people.ts settleHousehold).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Knex } from 'knex';
import { activeRecipientsOf, openCasesOf } from '../../data/person-cases';
import { insertCasePeople, resolvePeople, settleHousehold } from '../../data/people';
import { shanghaiDate } from '../../domain/calendar';
import { ageOn } from '../../domain/dates';
import { APPLICATION_SOURCES } from '../../domain/glossary';
import { STAFF_ROLES } from './messages';
import { HouseholdSchema, membersBornAfter } from '../../domain/household';
import { parseIdNumber } from '../../domain/idNumber';
import { isoDate, text, token } from '../../domain/schemas';
import type { CaseEngine } from '../../engine/client';
import type { Actor } from '../../engine/messages';
import { openCase } from '../../engine/open-case';
import { idempotentUuid } from '../../api/http/idempotency';
import { HttpError, unprocessable } from '../../api/http/errors';
import { collidingCase } from '../../api/http/scope';
import { applicationProcess } from './definition';
import type { ApplicationInput } from './messages';

export const PersonSchema = z
  .object({
    memberId: token(50),
    name: text(50),
    idNumber: text(20),
  })
  .strict();

export const ApplicationSchema = z
  .object({
    regionCode: z.string().regex(/^\d{9}$/, 'the 9-digit township code of the household registration'),
    villageCode: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    address: text(200).optional(),
    source: z.enum(APPLICATION_SOURCES).default('SELF_DECLARED'),
    receivedOn: isoDate().optional(),
    people: z.array(PersonSchema).min(1).max(30),
    household: HouseholdSchema,
    /**
     * 近亲属备案 (docs/policy.md §2.5): the applicant is a close relative of a caseworker or village cadre. Registered
     * separately; the county does the home visit itself.
     */
    staffRelative: z
      .object({
        staffRole: z.enum(STAFF_ROLES),
        relation: text(50).describe('e.g. 配偶, 父母, 子女, 兄弟姐妹'),
        staffName: text(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Application = z.infer<typeof ApplicationSchema>;

export async function submitApplication(
  deps: { db: Knex; engine: CaseEngine },
  actor: Actor,
  body: Application,
  idempotencyKey?: string,
): Promise<{ caseId: string; householdId: string }> {
  const { db } = deps;
  const today = shanghaiDate(Date.now());
  const receivedOn = body.receivedOn ?? today;
  if (receivedOn > today) throw unprocessable('INVALID_DATE', 'receivedOn is in the future');
  const region = await db('regions').where({ code: body.regionCode, level: 'TOWNSHIP' }).first('code');
  if (!region) throw unprocessable('UNKNOWN_REGION', `${body.regionCode} is not a township of this county`);
  const unborn = membersBornAfter(body.household, receivedOn);
  if (unborn.length)
    throw unprocessable('INVALID_DATE', `members born after receivedOn ${receivedOn}: ${unborn.join(', ')}`, {
      memberIds: unborn,
    });
  const people = checkPeople(body, today);

  const caseId = idempotencyKey ? idempotentUuid(actor.sub, idempotencyKey) : randomUUID();
  const householdId = idempotencyKey ? idempotentUuid(actor.sub, `${idempotencyKey}:household`) : randomUUID();
  const publicise = body.household.members.some((m) => m.birthDate <= today && ageOn(m.birthDate, today) >= 18);
  const input: ApplicationInput = {
    caseId,
    regionCode: body.regionCode,
    receivedOn,
    publicise,
    ...(body.staffRelative ? { staffRelative: true } : {}),
  };
  let casePeople: { personId: string; memberKey: string; relation: string }[] = [];
  let settledHousehold: string | undefined;
  const opened = await openCase(deps, {
    definition: applicationProcess,
    row: {
      id: caseId,
      householdId,
      regionCode: body.regionCode,
      source: body.source,
      activeSteps: ['submit'],
      receivedOn,
      createdBy: actor.sub,
    },
    before: async (trx) => {
      const persons = await resolvePeople(trx, people);
      const personIds = people.map((p) => persons.get(p.idNumber)!.id);
      const [open] = await openCasesOf(trx, personIds, 'application');
      if (open) {
        throw new HttpError(409, 'OPEN_CASE_EXISTS', 'a member of this household already has an open application', {
          memberId: people[personIds.indexOf(open.personId)].memberKey,
          case: collidingCase(actor, open),
        });
      }
      const [recipient] = await activeRecipientsOf(trx, personIds);
      if (recipient) {
        // Not enrolled twice: a change of an active recipient goes through the recipient's change check.
        const ref = collidingCase(actor, { caseId: recipient.recipientId, ...recipient });
        throw new HttpError(409, 'ALREADY_RECIPIENT', 'a member of this household is an active recipient', {
          memberId: people[personIds.indexOf(recipient.personId)].memberKey,
          recipient: ref.visible ? { ...ref, category: recipient.category } : ref,
          changeReport: ref.visible ? `POST /api/v1/cases/${recipient.recipientId}/change-reports` : undefined,
        });
      }
      const settled = await settleHousehold(trx, {
        newId: householdId,
        on: receivedOn,
        exact: true,
        people: people.map((p, i) => ({ personId: personIds[i], relation: p.relation })),
        facts: {
          regionCode: body.regionCode,
          villageCode: body.villageCode,
          residence: body.household.residence,
          address: body.address,
          economy: body.household,
        },
      });
      settledHousehold = settled;
      casePeople = people.map((p, i) => ({ personId: personIds[i], memberKey: p.memberKey, relation: p.relation }));
      return { householdId: settled };
    },
    after: async (trx) => {
      await insertCasePeople(trx, caseId, casePeople);
      await trx('cases')
        .where({ id: caseId })
        .update({ economy: JSON.stringify(body.household) });
      if (body.staffRelative)
        await trx('staff_relative_registrations')
          .insert({
            case_id: caseId,
            region_code: body.regionCode,
            staff_role: body.staffRelative!.staffRole,
            relation: body.staffRelative!.relation,
            staff_name: body.staffRelative!.staffName ?? null,
            registered_by: actor.sub,
          })
          .onConflict('case_id')
          .ignore();
    },
    audit: {
      actor: actor.sub,
      role: actor.role,
      action: 'case.submit',
      after: {
        regionCode: body.regionCode,
        source: body.source,
        receivedOn,
        members: people.length,
        staffRelative: body.staffRelative ? body.staffRelative.staffRole : undefined,
      },
    },
    input,
  });
  const row = opened.created ? undefined : await db('cases').where({ id: caseId }).first('household_id');
  return { caseId, householdId: settledHousehold ?? row?.household_id };
}

/** Every member needs a valid ID number matching the birth date given for it; one person, one household member. */
function checkPeople(body: Application, today: string) {
  const problems: { path: string; message: string }[] = [];
  const members = new Map(body.household.members.map((m) => [m.memberId, m]));
  const seen = new Set<string>();
  const rows = body.people.map((p, i) => {
    const m = members.get(p.memberId);
    const id = parseIdNumber(p.idNumber, { today });
    if (!m) problems.push({ path: `people.${i}.memberId`, message: `no household member ${p.memberId}` });
    if (!id.valid) problems.push({ path: `people.${i}.idNumber`, message: id.message });
    else {
      if (m && m.birthDate !== id.birthDate) {
        problems.push({
          path: `people.${i}.idNumber`,
          message: "the birth date in the ID number differs from the member's birthDate",
        });
      }
      if (seen.has(id.normalized))
        problems.push({ path: `people.${i}.idNumber`, message: 'the same ID number appears twice' });
      seen.add(id.normalized);
    }
    return {
      memberKey: p.memberId,
      name: p.name,
      idNumber: id.valid ? id.normalized : p.idNumber,
      relation: m?.relation ?? 'OTHER',
      birthDate: id.valid ? id.birthDate : today,
      sex: id.valid ? id.sex : ('M' as const),
    };
  });
  for (const memberId of members.keys()) {
    if (!body.people.some((p) => p.memberId === memberId)) {
      problems.push({ path: 'people', message: `member ${memberId} has no name and ID number` });
    }
  }
  if (problems.length) throw unprocessable('INVALID_PEOPLE', 'the household members are not consistent', problems);
  return rows;
}
