// One-case-one-discussion (一事一议) records: the conference as a case of its own, its decision, and the messages it
// sends (departments in-app, the integrator by signed webhook). Every write keyed by the conference id: retries add
// nothing.
import { audit, SYSTEM_ACTOR } from '../../data/audit';
import { getCase, insertCase, updateCase } from '../../data/cases';
import type { Db } from '../../data/db';
import { enqueue } from '../../data/outbox';
import type { IsoDate } from '../../domain/calendar';
import { type Department } from '../../domain/glossary';
import type { ActivityDeps } from '../../engine/activities/deps';
import { MissingRecordError } from '../../engine/errors';
import type { Actor } from '../../engine/messages';
import { caseConferenceProcess } from './definition';
import type { CaseConferenceInput, ConferenceDecision } from './messages';

export interface OpenConferenceInput extends CaseConferenceInput {
  workflowId?: string;
  startedOn: IsoDate;
  opinionDueOn: IsoDate;
}
export interface ConferenceDecisionInput {
  decision: ConferenceDecision;
  caseId: string;
  actor: Actor;
  originNotified: boolean;
}
export interface NoteConferenceDecisionInput {
  caseId: string;
  decision: ConferenceDecision;
}

export interface TakeoverFeedbackInput {
  conferenceId: string;
  /** The case that asked for the conference. */
  caseId: string;
  department: Department;
  feedback: string;
  reportedOn: IsoDate;
  actor: Actor;
}

export interface ConferenceRow {
  conferenceId: string;
  caseId: string;
  regionCode: string;
  reason: string;
  proposal?: string | null;
  departments: string[];
  requestedBy: { sub: string; role: string };
  requesterRef?: string | null;
  integratorId?: string | null;
  originWorkflowId?: string | null;
  startedOn: IsoDate;
}

/** The conference row and the request on the subject case's timeline; false when it exists already. */
export async function insertConferenceRow(trx: Db, c: ConferenceRow): Promise<boolean> {
  if (await trx('conferences').where({ id: c.conferenceId }).first('id')) return false;
  await trx('conferences').insert({
    id: c.conferenceId,
    case_id: c.caseId,
    region_code: c.regionCode,
    status: 'CONVENED',
    reason: c.reason,
    proposal: c.proposal ?? null,
    departments: JSON.stringify(c.departments),
    requested_by: c.requestedBy.sub,
    requested_by_role: c.requestedBy.role,
    requester_ref: c.requesterRef ?? null,
    integrator_id: c.integratorId ?? null,
    origin_workflow_id: c.originWorkflowId ?? null,
  });
  await audit(trx, {
    actor: c.requestedBy.sub,
    role: c.requestedBy.role,
    action: 'conference.request',
    caseId: c.caseId,
    entity: 'conference',
    entityId: c.conferenceId,
    after: { departments: c.departments, integratorId: c.integratorId ?? null },
    reason: c.reason,
  });
  return true;
}

/** The conference's own case row (the household of the subject case), for a conference a workflow started. */
async function insertConferenceCase(trx: Db, c: ConferenceRow): Promise<void> {
  const subject = await getCase(trx, c.caseId);
  await insertCase(trx, {
    id: c.conferenceId,
    process: caseConferenceProcess.name,
    workflowId: caseConferenceProcess.workflowId(c.conferenceId),
    householdId: subject?.household_id ?? null,
    regionCode: c.regionCode,
    status: 'CONVENED',
    activeSteps: ['conferenceOpinion'],
    receivedOn: c.startedOn,
    createdBy: c.requestedBy.sub,
  });
}

export function conferenceActivities({ db }: ActivityDeps) {
  return {
    /**
     * Convenes: makes sure the rows exist (a child conference has no API request before it) and invites the
     * departments.
     */
    async openConference(c: OpenConferenceInput): Promise<void> {
      await db.transaction(async (trx) => {
        // A conference opened through the API has its rows already (processes/caseConference/request.ts).
        const row = { ...c, originWorkflowId: c.origin?.workflowId };
        await insertConferenceCase(trx, row);
        await insertConferenceRow(trx, row);
        const stored = await trx('conferences').where({ id: c.conferenceId }).forUpdate().first('opinion_due_on');
        if (stored.opinion_due_on) return;
        await trx('conferences')
          .where({ id: c.conferenceId })
          .update({ opinion_due_on: c.opinionDueOn, updated_at: trx.fn.now() });
        for (const d of c.departments) {
          await enqueue(trx, {
            id: `${c.conferenceId}:invite:${d}`,
            channel: 'IN_APP',
            recipient: `department:${d}`,
            caseId: c.conferenceId,
            regionCode: c.regionCode,
            subject: `一事一议征求意见 opinion requested by ${c.opinionDueOn}`,
            body:
              `请于 ${c.opinionDueOn} 前对一事一议 ${c.conferenceId} 提出意见。Please give your opinion on conference ` +
              `${c.conferenceId} by ${c.opinionDueOn}.`,
            payload: {
              type: 'conference.opinionRequested',
              conferenceId: c.conferenceId,
              caseId: c.caseId,
              department: d,
              dueOn: c.opinionDueOn,
            },
          });
        }
      });
    },

    /** The chair's decision: recorded once; the integrator that asked hears of it by webhook, the requester in-app. */
    async recordConferenceDecision({
      decision,
      caseId,
      actor,
      originNotified,
    }: ConferenceDecisionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('conferences').where({ id: decision.conferenceId }).forUpdate().first();
        if (!before || before.status === 'DECIDED') return;
        await trx('conferences')
          .where({ id: decision.conferenceId })
          .update({
            status: 'DECIDED',
            decision: JSON.stringify(decision),
            missing_opinions: JSON.stringify(decision.missingOpinions),
            decided_on: decision.decidedOn,
            decided_by: actor.sub,
            updated_at: trx.fn.now(),
          });
        await updateCase(trx, decision.conferenceId, { status: 'DECIDED', decided_on: decision.decidedOn });
        await audit(trx, {
          actor: actor.sub,
          role: actor.role,
          action: 'conference.decide',
          caseId,
          entity: 'conference',
          entityId: decision.conferenceId,
          before: { status: before.status },
          after: { ...decision, originNotified },
          reason: decision.notes,
        });
        const event = {
          type: 'conference.decided',
          conferenceId: decision.conferenceId,
          caseId,
          outcome: decision.outcome,
          raisedAmount: decision.raisedAmount ?? null,
          department: decision.department ?? null,
          missingOpinions: decision.missingOpinions,
          decidedOn: decision.decidedOn,
        };
        const integrator = before.integrator_id
          ? await trx('integrators').where({ id: before.integrator_id, active: true }).first('webhook_url')
          : undefined;
        if (integrator?.webhook_url) {
          await enqueue(trx, {
            id: `${decision.conferenceId}:decided:webhook`,
            channel: 'WEBHOOK',
            recipient: integrator.webhook_url,
            caseId,
            regionCode: before.region_code,
            subject: 'conference.decided',
            body: `conference ${decision.conferenceId} decided: ${decision.outcome}`,
            payload: event,
          });
        }
        if (!before.integrator_id) {
          await enqueue(trx, {
            id: `${decision.conferenceId}:decided:requester`,
            channel: 'IN_APP',
            recipient: `user:${before.requested_by}`,
            caseId,
            regionCode: before.region_code,
            subject: `一事一议已决定 conference decided: ${decision.outcome}`,
            body: `一事一议 ${decision.conferenceId} 已作出决定：${decision.outcome}。`,
            payload: event,
          });
        }
      });
    },

    /** The originating case records that it received the decision (its timeline shows it). */
    /** The taking-over department's feedback, recorded on the conference and in the originating case's audit trail. */
    async recordTakeoverFeedback(f: TakeoverFeedbackInput): Promise<void> {
      await db.transaction(async (trx) => {
        const c = await trx('conferences').where({ id: f.conferenceId }).forUpdate().first('takeover_feedback');
        if (!c) throw new MissingRecordError(`recordTakeoverFeedback: no conference ${f.conferenceId}`);
        if (c.takeover_feedback) return;
        const feedback = { department: f.department, feedback: f.feedback, reportedOn: f.reportedOn, by: f.actor.sub };
        await trx('conferences')
          .where({ id: f.conferenceId })
          .update({ takeover_feedback: JSON.stringify(feedback), updated_at: trx.fn.now() });
        await audit(trx, {
          actor: f.actor.sub,
          role: f.actor.role,
          action: 'case.departmentFeedback',
          caseId: f.caseId,
          entity: 'conference',
          entityId: f.conferenceId,
          after: feedback,
        });
      });
    },

    async noteConferenceDecision({ caseId, decision }: NoteConferenceDecisionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const seen = await trx('audit_log')
          .where({ case_id: caseId, action: 'case.conferenceDecision', entity_id: decision.conferenceId })
          .first('id');
        if (seen) return;
        await audit(trx, {
          ...SYSTEM_ACTOR,
          action: 'case.conferenceDecision',
          caseId,
          entity: 'conference',
          entityId: decision.conferenceId,
          after: decision,
        });
      });
    },
  };
}

export type ConferenceActivities = ReturnType<typeof conferenceActivities>;
