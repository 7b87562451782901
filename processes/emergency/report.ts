// Reporting an emergency (急难): the advance is checked against the cap in force, the case opened and its workflow
// started; the answer comes once the advance is paid and the justification task is open.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { unprocessable } from '../../api/http/errors';
import { idempotentUuid } from '../../api/http/idempotency';
import { iso } from '../../data/db';
import { findMemberByIdNumber, insertHousehold, insertMembers } from '../../data/people';
import { policyFor } from '../../data/policy';
import { shanghaiDate } from '../../domain/calendar';
import { validateAdvance, DEFAULT_JUSTIFICATION_WORKING_DAYS, HARDSHIP_TYPES } from '../../domain/emergency';
import { RESIDENCES } from '../../domain/household';
import { parseIdNumber } from '../../domain/idNumber';
import { positiveYuan } from '../../domain/money';
import { smallAdvanceCap } from '../../domain/policy';
import type { CaseEngine } from '../../engine/client';
import type { Actor } from '../../engine/messages';
import { openCase } from '../../engine/open-case';
import { emergencyProcess } from './definition';
import type { EmergencyInput } from './messages';

export const EmergencyBody = z
  .object({
    regionCode: z.string().regex(/^\d{9}$/, 'the 9-digit code of the township where the emergency happened'),
    person: z.object({ name: z.string().trim().min(1).max(50), idNumber: z.string().min(1).max(20) }).strict(),
    residence: z
      .enum(RESIDENCES)
      .describe('urban or rural: decides the cap (one month of that dibao standard by default)'),
    hardship: z.enum(HARDSHIP_TYPES),
    description: z.string().trim().min(1).max(2000),
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
  // One person, one chain: an earlier household of the same person (an application, an emergency) is reused.
  const known = await findMemberByIdNumber(db, id.normalized);
  const householdId: string =
    known?.household_id ?? (idempotencyKey ? idempotentUuid(actor.sub, `${idempotencyKey}:household`) : randomUUID());
  const memberId: string = known?.id ?? randomUUID();
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
      if (known) return;
      await insertHousehold(trx, {
        id: householdId,
        regionCode: body.regionCode,
        residence: body.residence,
        economy: null,
      });
      await insertMembers(trx, [
        {
          id: memberId,
          householdId,
          memberKey: 'm1',
          name: body.person.name,
          idNumber: id.normalized,
          relation: 'APPLICANT',
          birthDate: id.birthDate,
          sex: id.sex,
        },
      ]);
    },
    after: async (trx) => {
      await trx('emergencies').insert({
        case_id: caseId,
        household_id: householdId,
        member_id: memberId,
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
