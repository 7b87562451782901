// The warning workflow's writes: the handling chosen at verification, each department's feedback (into the assistance
// chain when it assisted), the close with outcome and reason. Idempotent: every write is keyed by the warning, the
// department or the task the workflow names, so a retried activity changes nothing twice.
import { audit } from '../../data/audit';
import { MissingRecordError } from '../../engine/errors';
import type { ActivityDeps } from '../../engine/activities/deps';
import type { Actor } from '../../engine/messages';
import type { Department } from '../../domain/glossary';

export interface WarningHandlingInput {
  warningId: string;
  handling: string;
  data: Record<string, unknown>;
  actor: Actor;
  handledOn: string;
}

export interface WarningFeedbackInput {
  warningId: string;
  department: Department;
  taskId: string;
  outcome: 'ASSISTED' | 'NOT_APPLICABLE';
  feedback: string;
  kind?: string;
  amount?: number;
  reportedOn: string;
  actor: Actor;
}

export interface CloseWarningInput {
  warningId: string;
  status: 'CLOSED' | 'DISMISSED';
  outcome: string;
  reason: string;
  closedOn: string;
  conferenceId?: string;
}

export function warningActivities({ db }: ActivityDeps) {
  return {
    async recordWarningHandling(h: WarningHandlingInput): Promise<void> {
      await db.transaction(async (trx) => {
        const w = await trx('warnings').where({ id: h.warningId }).forUpdate().first('handling');
        if (!w) throw new MissingRecordError(`recordWarningHandling: no warning ${h.warningId}`);
        if (w.handling) return;
        const links = h.data as { applicationCaseId?: string; recipientId?: string };
        await trx('warnings')
          .where({ id: h.warningId })
          .update({
            status: h.handling === 'FALSE_ALARM' ? 'DISMISSED' : 'HANDLING',
            handling: h.handling,
            handling_data: JSON.stringify(h.data),
            handled_at: trx.fn.now(),
            handled_by: h.actor.sub,
            application_case_id: links.applicationCaseId ?? null,
            recipient_id: links.recipientId ?? null,
          });
        await audit(trx, {
          actor: h.actor.sub,
          role: h.actor.role,
          action: 'warning.verify',
          caseId: h.warningId,
          entity: 'warning',
          entityId: h.warningId,
          after: { handling: h.handling, ...h.data },
          reason: typeof h.data.reason === 'string' ? h.data.reason : undefined,
        });
      });
    },

    /** The department's answer; an assistance it gave enters the chain as its report would (docs/policy.md §7.4). */
    async recordWarningFeedback(f: WarningFeedbackInput): Promise<void> {
      await db.transaction(async (trx) => {
        const w = await trx('warnings').where({ id: f.warningId }).first('person_id', 'household_id', 'region_code');
        if (!w) throw new MissingRecordError(`recordWarningFeedback: no warning ${f.warningId}`);
        const id = `${f.warningId}:${f.department}`;
        const inserted = await trx('warning_feedback')
          .insert({
            id,
            warning_id: f.warningId,
            person_id: w.person_id,
            household_id: w.household_id,
            department: f.department,
            task_id: f.taskId,
            outcome: f.outcome,
            feedback: f.feedback,
            assistance_kind: f.kind ?? null,
            amount: f.amount ?? null,
            reported_on: f.reportedOn,
            reported_by: f.actor.sub,
          })
          .onConflict('id')
          .ignore()
          .returning('id');
        if (!inserted.length) return;
        if (f.outcome === 'ASSISTED' && f.kind) {
          await trx('assistance_records')
            .insert({
              id: `${f.department}:warning-${f.warningId}`,
              person_id: w.person_id,
              household_id: w.household_id,
              region_code: w.region_code,
              kind: f.kind,
              department: f.department,
              reference: `warning-${f.warningId}`,
              period: f.reportedOn.slice(0, 7),
              granted_on: f.reportedOn,
              amount: f.amount ?? null,
              details: JSON.stringify({ warningId: f.warningId, feedback: f.feedback }),
              batch_id: `warning-${f.warningId}`,
              reported_by: f.actor.sub,
            })
            .onConflict('id')
            .ignore();
        }
        await audit(trx, {
          actor: f.actor.sub,
          role: f.actor.role,
          action: 'warning.departmentFeedback',
          caseId: f.warningId,
          entity: 'warning_feedback',
          entityId: id,
          after: { department: f.department, outcome: f.outcome, kind: f.kind, amount: f.amount },
        });
      });
    },

    async closeWarning(c: CloseWarningInput): Promise<void> {
      await db.transaction(async (trx) => {
        const w = await trx('warnings').where({ id: c.warningId }).forUpdate().first('closed_at');
        if (!w) throw new MissingRecordError(`closeWarning: no warning ${c.warningId}`);
        if (w.closed_at) return;
        // closed_at set: the person and rule may be warned of again by a later comparison (the partial unique index).
        await trx('warnings')
          .where({ id: c.warningId })
          .update({
            status: c.status,
            outcome: c.outcome,
            outcome_reason: c.reason,
            closed_at: trx.fn.now(),
            ...(c.conferenceId ? { conference_id: c.conferenceId } : {}),
          });
        await audit(trx, {
          actor: 'system',
          role: 'system',
          action: 'warning.close',
          caseId: c.warningId,
          entity: 'warning',
          entityId: c.warningId,
          after: { status: c.status, outcome: c.outcome, closedOn: c.closedOn },
          reason: c.reason,
        });
      });
    },
  };
}

export type WarningActivities = ReturnType<typeof warningActivities>;
