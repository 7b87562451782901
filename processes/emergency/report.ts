// Reporting an emergency (急难): the advance is checked against the cap in force, the case opened and its workflow
// started; the answer comes once the advance is paid and the justification task is open. Per person (docs/policy.md
// §5.2): one advance per emergency event (an open emergency answers 409) and a rolling cap over all of them (422).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { text } from '../../domain/schemas';
import { HttpError, unprocessable } from '../../api/http/errors';
import { collidingCase } from '../../api/http/scope';
import { idempotentUuid } from '../../api/http/idempotency';
import { iso } from '../../data/db';
import { advancesSince, openCasesOf } from '../../data/person-cases';
import { insertCasePeople, resolvePeople, settleHousehold } from '../../data/people';
import { policyFor } from '../../data/policy';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import {
  advancePeriod,
  validateAdvance,
  checkAdvancePeriod,
  DEFAULT_JUSTIFICATION_WORKING_DAYS,
  HARDSHIP_TYPES,
} from '../../domain/emergency';
import { RESIDENCES } from '../../domain/household';
import { parseIdNumber } from '../../domain/idNumber';
import { positiveYuan } from '../../domain/money';
import { dibaoStandard, smallAdvanceCap } from '../../domain/policy';
import type { CaseEngine } from '../../engine/client';
import type { Actor } from '../../engine/messages';
import { openCase } from '../../engine/open-case';
import { emergencyProcess } from './definition';
import type { EmergencyInput } from './messages';

export const EmergencyBody = z
  .object({
    regionCode: z.string().regex(/^\d{9}$/, 'the 9-digit code of the township where the emergency happened'),
    person: z.object({ name: text(50), idNumber: text(20) }).strict(),
    residence: z
      .enum(RESIDENCES)
      .describe('urban or rural: decides the cap (one month of that dibao standard by default)'),
    hardship: z.enum(HARDSHIP_TYPES),
    description: text(2000),
    requestedAmount: positiveYuan(),
  })
  .strict();
export type EmergencyReport = z.infer<typeof EmergencyBody>;

export async function reportEmergency(
  deps: { db: Knex; engine: CaseEngine },
  actor: Actor,
  body: EmergencyReport,
  idempotencyKey?: string,
) {
  const { db } = deps;
  const today = shanghaiDate(Date.now());
  const region = await db('regions').where({ code: body.regionCode, level: 'TOWNSHIP' }).first('code');
  if (!region) throw unprocessable('UNKNOWN_REGION', `${body.regionCode} is not a township of this county`);
  // Any region's ID number is accepted: the person may be registered anywhere (docs/policy.md §5).
  const id = parseIdNumber(body.person.idNumber, { today });
  if (!id.valid)
    throw unprocessable('INVALID_ID_NUMBER', id.message, [{ path: 'person.idNumber', message: id.message }]);
  const policy = await policyFor(db, body.regionCode, today);
  if (!policy)
    throw unprocessable('NO_POLICY_IN_FORCE', `no policy parameters are in force for ${body.regionCode} on ${today}`);
  const cap = smallAdvanceCap(policy.parameters, body.residence);
  const refusal = validateAdvance(body.requestedAmount, cap, body.residence);
  if (refusal) {
    throw unprocessable(refusal.code, refusal.message, {
      ...refusal.details,
      policyVersionId: policy.id,
      sample: policy.sample,
    });
  }

  const caseId = idempotencyKey ? idempotentUuid(actor.sub, idempotencyKey) : randomUUID();
  const newHouseholdId = idempotencyKey ? idempotentUuid(actor.sub, `${idempotencyKey}:household`) : randomUUID();
  const period = advancePeriod(policy.parameters, dibaoStandard(policy.parameters, body.residence));
  let householdId = newHouseholdId;
  let personId = '';
  const input: EmergencyInput = {
    caseId,
    regionCode: body.regionCode,
    receivedOn: today,
    advance: { amount: body.requestedAmount, cap, policyVersionId: policy.id },
    justificationWorkingDays: policy.parameters.justificationWorkingDays ?? DEFAULT_JUSTIFICATION_WORKING_DAYS,
    requestedBy: actor,
  };
  const opened = await openCase(deps, {
    definition: emergencyProcess,
    row: {
      id: caseId,
      householdId,
      regionCode: body.regionCode,
      activeSteps: ['emergencyAdvance'],
      receivedOn: today,
      createdBy: actor.sub,
    },
    before: async (trx) => {
      // One person, one chain: the person's known household is reused (data/people.ts).
      const person = (
        await resolvePeople(trx, [
          { idNumber: id.normalized, name: body.person.name, birthDate: id.birthDate, sex: id.sex },
        ])
      ).get(id.normalized)!;
      personId = person.id;
      // Over the rolling cap first: that answer (422) says where the need goes next, whether or not a case is open.
      const since = addCalendarDays(today, -(period.days - 1));
      const earlier = await advancesSince(trx, personId, since);
      const refusal = checkAdvancePeriod(body.requestedAmount, earlier.total, period);
      if (refusal) {
        const cases = await trx('cases').whereIn('id', earlier.caseIds).select('id', 'region_code', 'status');
        throw unprocessable(refusal.code, refusal.message, {
          ...refusal.details,
          since,
          earlierCases: cases.map((c) =>
            collidingCase(actor, { caseId: c.id, regionCode: c.region_code, status: c.status }),
          ),
        });
      }
      const [open] = await openCasesOf(trx, [personId], 'emergency');
      if (open)
        throw new HttpError(
          409,
          'EMERGENCY_ALREADY_OPEN',
          'this person already has an emergency awaiting its justification',
          {
            case: collidingCase(actor, open),
          },
        );
      householdId = await settleHousehold(trx, {
        newId: newHouseholdId,
        on: today,
        exact: false,
        people: [{ personId, relation: 'APPLICANT' }],
        facts: { regionCode: body.regionCode, residence: body.residence, economy: null },
      });
      return { householdId };
    },
    after: async (trx) => {
      await insertCasePeople(trx, caseId, [{ personId, memberKey: 'm1', relation: 'APPLICANT' }]);
      await trx('emergencies').insert({
        case_id: caseId,
        household_id: householdId,
        person_id: personId,
        region_code: body.regionCode,
        residence: body.residence,
        hardship: body.hardship,
        description: body.description,
        requested_amount: body.requestedAmount,
        cap,
        policy_version_id: policy.id,
        created_by: actor.sub,
      });
    },
    audit: {
      actor: actor.sub,
      role: actor.role,
      action: 'emergency.report',
      after: {
        regionCode: body.regionCode,
        hardship: body.hardship,
        residence: body.residence,
        requestedAmount: body.requestedAmount,
        cap,
        policyVersionId: policy.id,
      },
    },
    input,
  });
  // Answers once the advance is recorded and the justification task is open (a retry of a case closed since answers
  // from its rows).
  const [payment, task, row] = await Promise.all([
    db('payments').where({ case_id: caseId, kind: 'EMERGENCY_ADVANCE' }).first(),
    db('tasks').where({ case_id: caseId, type: 'justification' }).orderBy('created_at').first('id', 'due_at'),
    db('cases').where({ id: caseId }).first('status'),
  ]);
  return {
    caseId,
    status: opened.snapshot?.status ?? row.status,
    cap,
    policyVersionId: policy.id,
    sample: policy.sample,
    payment: payment
      ? {
          id: payment.id,
          kind: payment.kind,
          amount: payment.amount,
          month: payment.month,
          paidOn: payment.details?.paidOn ?? null,
        }
      : null,
    justificationTask: task ? { id: task.id, dueAt: iso(task.due_at) } : null,
  };
}
