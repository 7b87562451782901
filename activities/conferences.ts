// One-case-one-discussion (一事一议) records: the conference as a case of its own, its decision, and the messages it
// sends (departments in-app, the integrator by signed webhook). Every write keyed by the conference id: retries add nothing.
import type { ActivityDeps } from './deps';
import type { Actor } from './contracts';
import type { CaseConferenceInput, ConferenceDecision } from '../workflows/case-conference-contract';
import type { IsoDate } from '../domain/calendar';
import { audit, SYSTEM_ACTOR } from './audit';
import { enqueue } from './notifications/outbox';
import type { Knex } from 'knex';

export interface OpenConferenceInput extends CaseConferenceInput { workflowId: string; startedOn: IsoDate; opinionDueOn: IsoDate }
export interface ConferenceDecisionInput { decision: ConferenceDecision; caseId: string; actor: Actor; originNotified: boolean }
export interface NoteConferenceDecisionInput { caseId: string; decision: ConferenceDecision }

/** The conference's own case row and conference row; the API writes them first when an integrator asks. */
export async function insertConference(trx: Knex.Transaction, c: {
  conferenceId: string; workflowId: string; caseId: string; regionCode: string; reason: string; proposal?: string | null;
  departments: string[]; requestedBy: { sub: string; role: string }; requesterRef?: string | null; integratorId?: string | null;
  originWorkflowId?: string | null; startedOn: IsoDate;
}): Promise<boolean> {
  if (await trx('conferences').where({ id: c.conferenceId }).first('id')) return false;
  const origin = await trx('cases').where({ id: c.caseId }).first('household_id');
  await trx('cases').insert({
    id: c.conferenceId, process: 'caseConference', workflow_id: c.workflowId, household_id: origin?.household_id ?? null, region_code: c.regionCode,
    status: 'CONVENED', active_steps: JSON.stringify(['conferenceOpinion']), received_on: c.startedOn, created_by: c.requestedBy.sub,
  }).onConflict('id').ignore();
  await trx('conferences').insert({
    id: c.conferenceId, case_id: c.caseId, region_code: c.regionCode, status: 'CONVENED', reason: c.reason, proposal: c.proposal ?? null,
    departments: JSON.stringify(c.departments), requested_by: c.requestedBy.sub, requested_by_role: c.requestedBy.role,
    requester_ref: c.requesterRef ?? null, integrator_id: c.integratorId ?? null, origin_workflow_id: c.originWorkflowId ?? null,
  });
  await audit(trx, {
    actor: c.requestedBy.sub, role: c.requestedBy.role, action: 'conference.request', caseId: c.caseId, entity: 'conference', entityId: c.conferenceId,
    after: { departments: c.departments, integratorId: c.integratorId ?? null }, reason: c.reason,
  });
  return true;
}

export function conferenceActivities({ db }: ActivityDeps) {
  return {
    /** Convenes: makes sure the rows exist (a child conference has no API request before it) and invites the departments. */
    async openConference(c: OpenConferenceInput): Promise<void> {
      await db.transaction(async (trx) => {
        await insertConference(trx, { ...c, originWorkflowId: c.origin?.workflowId });
        const row = await trx('conferences').where({ id: c.conferenceId }).forUpdate().first('opinion_due_on');
        if (row.opinion_due_on) return;
        await trx('conferences').where({ id: c.conferenceId }).update({ opinion_due_on: c.opinionDueOn, updated_at: trx.fn.now() });
        for (const d of c.departments) {
          await enqueue(trx, {
            id: `${c.conferenceId}:invite:${d}`, channel: 'IN_APP', recipient: `department:${d}`, caseId: c.conferenceId, regionCode: c.regionCode,
            subject: `一事一议征求意见 opinion requested by ${c.opinionDueOn}`,
            body: `请于 ${c.opinionDueOn} 前对一事一议 ${c.conferenceId} 提出意见。Please give your opinion on conference ${c.conferenceId} by ${c.opinionDueOn}.`,
            payload: { type: 'conference.opinionRequested', conferenceId: c.conferenceId, caseId: c.caseId, department: d, dueOn: c.opinionDueOn },
          });
        }
      });
    },

    /** The chair's decision: recorded once; the integrator that asked hears of it by webhook, the requester in-app. */
    async recordConferenceDecision({ decision, caseId, actor, originNotified }: ConferenceDecisionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('conferences').where({ id: decision.conferenceId }).forUpdate().first();
        if (!before || before.status === 'DECIDED') return;
        await trx('conferences').where({ id: decision.conferenceId }).update({
          status: 'DECIDED', decision: JSON.stringify(decision), missing_opinions: JSON.stringify(decision.missingOpinions),
          decided_on: decision.decidedOn, decided_by: actor.sub, updated_at: trx.fn.now(),
        });
        await trx('cases').where({ id: decision.conferenceId }).update({ status: 'DECIDED', decided_on: decision.decidedOn, updated_at: trx.fn.now() });
        await audit(trx, {
          actor: actor.sub, role: actor.role, action: 'conference.decide', caseId, entity: 'conference', entityId: decision.conferenceId,
          before: { status: before.status }, after: { ...decision, originNotified }, reason: decision.notes,
        });
        const event = {
          type: 'conference.decided', conferenceId: decision.conferenceId, caseId, outcome: decision.outcome, raisedAmount: decision.raisedAmount ?? null,
          department: decision.department ?? null, missingOpinions: decision.missingOpinions, decidedOn: decision.decidedOn,
        };
        const integrator = before.integrator_id ? await trx('integrators').where({ id: before.integrator_id, active: true }).first('webhook_url') : undefined;
        if (integrator?.webhook_url) {
          await enqueue(trx, {
            id: `${decision.conferenceId}:decided:webhook`, channel: 'WEBHOOK', recipient: integrator.webhook_url, caseId, regionCode: before.region_code,
            subject: 'conference.decided', body: `conference ${decision.conferenceId} decided: ${decision.outcome}`, payload: event,
          });
        }
        if (!before.integrator_id) {
          await enqueue(trx, {
            id: `${decision.conferenceId}:decided:requester`, channel: 'IN_APP', recipient: `user:${before.requested_by}`, caseId, regionCode: before.region_code,
            subject: `一事一议已决定 conference decided: ${decision.outcome}`, body: `一事一议 ${decision.conferenceId} 已作出决定：${decision.outcome}。`, payload: event,
          });
        }
      });
    },

    /** The originating case records that it received the decision (its timeline shows it). */
    async noteConferenceDecision({ caseId, decision }: NoteConferenceDecisionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const seen = await trx('audit_log').where({ case_id: caseId, action: 'case.conferenceDecision', entity_id: decision.conferenceId }).first('id');
        if (seen) return;
        await audit(trx, { ...SYSTEM_ACTOR, action: 'case.conferenceDecision', caseId, entity: 'conference', entityId: decision.conferenceId, after: decision });
      });
    },
  };
}
