// A conference request (会商申请) from outside: an integrator (API key or JWT) or a county officer brings a case before
// the county coordination mechanism (docs/policy.md §6). The conference is a case of its own; the answer comes once
// every invited department's opinion task exists.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { User } from '../../api/http/auth';
import { unprocessable } from '../../api/http/errors';
import { idempotentUuid } from '../../api/http/idempotency';
import { integratorOf } from '../../api/http/integrators';
import { loadCase } from '../../api/http/scope';
import { enqueue } from '../../data/outbox';
import { shanghaiDate } from '../../domain/calendar';
import { DEPARTMENTS } from '../../domain/glossary';
import type { CaseEngine } from '../../engine/client';
import { openCase } from '../../engine/open-case';
import { insertConferenceRow } from './activities';
import { caseConferenceProcess } from './definition';
import type { CaseConferenceInput } from './messages';

export const ConferenceRequestBody = z
  .object({
    reason: text(2000),
    requestedBy: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("who asked, in the requesting system's own terms (an office, a reference); no ID numbers"),
    departments: z
      .array(z.enum(DEPARTMENTS))
      .min(1)
      .max(DEPARTMENTS.length)
      .refine((d) => new Set(d).size === d.length, 'each department once'),
    proposal: text(4000).optional(),
    opinionWorkingDays: z.number().int().min(1).max(30).optional(),
  })
  .strict();
export type ConferenceRequest = z.infer<typeof ConferenceRequestBody>;

export async function requestConference(
  deps: { db: Knex; engine: CaseEngine },
  user: User,
  subjectCaseId: string,
  body: ConferenceRequest,
  idempotencyKey?: string,
): Promise<{ conferenceId: string; caseId: string; status: 'CONVENED' }> {
  const { db } = deps;
  const c = await loadCase(db, user, subjectCaseId);
  if (c.process === caseConferenceProcess.name)
    throw unprocessable('NOT_ESCALATABLE', 'a conference cannot itself be escalated');
  const integratorId = await integratorOf(db, user);
  const conferenceId = idempotencyKey ? idempotentUuid(user.sub, `${idempotencyKey}:conference`) : randomUUID();
  const startedOn = shanghaiDate(Date.now());
  const input: CaseConferenceInput = {
    conferenceId,
    caseId: c.id,
    regionCode: c.region_code,
    reason: body.reason,
    proposal: body.proposal,
    departments: body.departments,
    requestedBy: { sub: user.sub, role: user.role },
    opinionWorkingDays: body.opinionWorkingDays,
    origin: { workflowId: c.workflow_id },
  };
  await openCase(deps, {
    definition: caseConferenceProcess,
    row: {
      id: conferenceId,
      householdId: c.household_id,
      regionCode: c.region_code,
      activeSteps: ['conferenceOpinion'],
      receivedOn: startedOn,
      createdBy: user.sub,
    },
    after: async (trx) => {
      await insertConferenceRow(trx, {
        ...input,
        requesterRef: body.requestedBy,
        integratorId,
        originWorkflowId: c.workflow_id,
        startedOn,
      });
      const integrator = integratorId
        ? await trx('integrators').where({ id: integratorId }).first('webhook_url')
        : undefined;
      if (integrator?.webhook_url) {
        await enqueue(trx, {
          id: `${conferenceId}:received:webhook`,
          channel: 'WEBHOOK',
          recipient: integrator.webhook_url,
          caseId: c.id,
          regionCode: c.region_code,
          subject: 'escalation.received', // the webhook event name integrators subscribe to: never renamed
          body: `conference ${conferenceId} convened`,
          payload: {
            type: 'escalation.received',
            conferenceId,
            caseId: c.id,
            departments: body.departments,
            requesterRef: body.requestedBy,
          },
        });
      }
    },
    audit: {
      actor: user.sub,
      role: user.role,
      action: 'conference.convene',
      after: { subjectCaseId: c.id, departments: body.departments },
    },
    input,
  });
  return { conferenceId, caseId: c.id, status: 'CONVENED' };
}
