// Submitting an application (申请): checks the people against their ID numbers, then opens the case — household,
// members, case row and audit in one transaction — and starts its workflow (engine/open-case.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Knex } from 'knex';
import { insertHousehold, insertMembers } from '../../data/people';
import { shanghaiDate } from '../../domain/calendar';
import { ageOn } from '../../domain/dates';
import { APPLICATION_SOURCES } from '../../domain/glossary';
import { STAFF_ROLES } from './messages';
import { HouseholdSchema } from '../../domain/household';
import { parseIdNumber } from '../../domain/idNumber';
import { isoDate } from '../../domain/schemas';
import type { CaseEngine } from '../../engine/client';
import type { Actor } from '../../engine/messages';
import { openCase } from '../../engine/open-case';
import { idempotentUuid } from '../../api/http/idempotency';
import { unprocessable } from '../../api/http/errors';
import { applicationProcess } from './definition';
import type { ApplicationInput } from './messages';

export const PersonSchema = z
  .object({
    memberId: z.string().min(1),
    name: z.string().min(1).max(50),
    idNumber: z.string().min(1).max(20),
  })
  .strict();

export const ApplicationSchema = z
  .object({
    regionCode: z.string().regex(/^\d{9}$/, 'the 9-digit township code of the household registration'),
    villageCode: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    address: z.string().max(200).optional(),
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
        relation: z.string().trim().min(1).max(50).describe('e.g. 配偶, 父母, 子女, 兄弟姐妹'),
        staffName: z.string().trim().min(1).max(50).optional(),
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
): Promise<{ caseId: string }> {
  const { db } = deps;
  const today = shanghaiDate(Date.now());
  const receivedOn = body.receivedOn ?? today;
  if (receivedOn > today) throw unprocessable('INVALID_DATE', 'receivedOn is in the future');
  const region = await db('regions').where({ code: body.regionCode, level: 'TOWNSHIP' }).first('code');
  if (!region) throw unprocessable('UNKNOWN_REGION', `${body.regionCode} is not a township of this county`);
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
  await openCase(deps, {
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
      await insertHousehold(trx, {
        id: householdId,
        regionCode: body.regionCode,
        villageCode: body.villageCode,
        residence: body.household.residence,
        address: body.address,
        economy: body.household,
      });
      await insertMembers(
        trx,
        people.map((p) => ({ ...p, id: randomUUID(), householdId })),
      );
    },
    after: body.staffRelative
      ? async (trx) => {
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
        }
      : undefined,
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
  return { caseId };
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
