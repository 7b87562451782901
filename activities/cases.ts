// Case read models written by the workflows: progress, tasks, decisions, enrolment. Every write is idempotent,
// keyed by the deterministic ids the workflow chose, so a retried activity never adds a second row.
import { randomUUID } from 'node:crypto';
import type { ActivityDeps } from './deps';
import type { CaseProgressInput, CloseTaskInput, DecisionInput, EnrolInput, OpenTaskInput, AssessmentSummary } from './contracts';
import { audit, SYSTEM_ACTOR } from './audit';
import type { CalendarYear } from '../domain/calendar';
import { assessHousehold } from '../domain/assessment';
import { HouseholdSchema } from '../domain/household';
import { policyInForce, PolicyVersion } from '../domain/policy';
import { loadCalendarYears } from './calendar';

export function caseActivities({ db }: ActivityDeps) {
  return {
    async loadCalendar(): Promise<CalendarYear[]> {
      return loadCalendarYears(db);
    },

    async recordCaseProgress(input: CaseProgressInput): Promise<void> {
      const patch: Record<string, unknown> = { active_steps: JSON.stringify(input.activeSteps), updated_at: db.fn.now() };
      if (input.status) patch.status = input.status;
      if (input.acceptedOn) patch.accepted_on = input.acceptedOn;
      if (input.decidedOn) patch.decided_on = input.decidedOn;
      if (input.returnedMissing) patch.returned_missing = JSON.stringify(input.returnedMissing);
      await db('cases').where({ id: input.caseId }).update(patch);
    },

    async openTask(input: OpenTaskInput): Promise<void> {
      await db('tasks').insert({
        id: input.taskId, case_id: input.caseId, type: input.type, region_code: input.regionCode, candidate_role: input.candidateRole,
        status: 'OPEN', created_at: input.createdAt, due_at: input.dueAt ?? null, ...(input.department ? { department: input.department } : {}),
      }).onConflict('id').ignore();
    },

    async closeTask(input: CloseTaskInput): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('tasks').where({ id: input.taskId }).forUpdate().first();
        if (!before || before.status !== 'OPEN') return; // already closed by an earlier attempt
        const after = {
          status: input.status, outcome: input.outcome ?? null, data: input.data ? JSON.stringify(input.data) : null,
          comment: input.comment ?? null, completed_at: input.closedAt, completed_by: input.actor?.sub ?? null,
          assignee: before.assignee ?? input.actor?.sub ?? null,
        };
        await trx('tasks').where({ id: input.taskId }).update(after);
        await audit(trx, {
          actor: input.actor?.sub ?? SYSTEM_ACTOR.actor, role: input.actor?.role ?? SYSTEM_ACTOR.role,
          action: input.status === 'COMPLETED' ? 'task.complete' : 'task.cancel', caseId: before.case_id, entity: 'task', entityId: input.taskId,
          before: { status: before.status }, after: { status: input.status, outcome: input.outcome, data: input.data }, reason: input.comment,
        });
      });
    },

    async assessCase({ caseId, asOf }: { caseId: string; asOf: string }): Promise<AssessmentSummary> {
      await adoptVerifiedHousehold(db, caseId);
      const row = await db('cases').join('households', 'households.id', 'cases.household_id').where('cases.id', caseId)
        .first('cases.region_code', 'households.economy');
      const parsed = HouseholdSchema.safeParse(row?.economy);
      const versions = (await db('policy_versions').select()).map(toPolicyVersion);
      const policy = policyInForce(versions, row?.region_code ?? '', asOf);
      if (!parsed.success || !policy) {
        // Without economic data or parameters there is nothing to compare against; the reviewer decides unaided.
        const summary: AssessmentSummary = { category: null, coverage: 'NONE', monthlyAmount: 0, policyVersionId: policy?.id ?? null };
        await db('cases').where({ id: caseId }).update({ assessment: JSON.stringify({ ...summary, unavailable: !parsed.success ? 'no household economic data' : 'no policy parameters in force' }) });
        return summary;
      }
      const a = assessHousehold(parsed.data, asOf, policy);
      await db('cases').where({ id: caseId }).update({ assessment: JSON.stringify(a) });
      return { category: a.category, coverage: a.coverage, monthlyAmount: a.monthlyAmount, policyVersionId: a.policyVersionId };
    },

    async recordDecision(d: DecisionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const c = await trx('cases').where({ id: d.caseId }).first('assessment');
        const assessment = c?.assessment ?? null;
        const deviation = d.outcome === 'APPROVED' && assessment != null &&
          (assessment.category !== d.category || Math.abs(Number(assessment.monthlyAmount ?? 0) - (d.monthlyAmount ?? 0)) > 0.005);
        const startMonth = d.outcome === 'APPROVED' ? monthAfter(d.decidedOn) : null;
        const inserted = await trx('decisions').insert({
          id: d.decisionId, case_id: d.caseId, outcome: d.outcome, category: d.category ?? null, coverage: assessment?.coverage ?? null,
          monthly_amount: d.monthlyAmount ?? null, start_month: startMonth, reasons: d.reasons ? JSON.stringify(d.reasons) : null,
          decided_on: d.decidedOn, decided_by: d.actor.sub, assessment: assessment ? JSON.stringify(assessment) : null,
          policy_version_id: assessment?.policyVersionId ?? null, deviation, deviation_reason: d.deviationReason ?? null,
        }).onConflict('id').ignore().returning('id');
        if (!inserted.length) return;
        await trx('cases').where({ id: d.caseId }).update({ decided_on: d.decidedOn, updated_at: trx.fn.now() });
        await audit(trx, {
          actor: d.actor.sub, role: d.actor.role, action: `decision.${d.outcome.toLowerCase()}`, caseId: d.caseId, entity: 'decision',
          entityId: d.decisionId, after: { outcome: d.outcome, category: d.category, monthlyAmount: d.monthlyAmount, reasons: d.reasons, deviation },
          reason: d.deviationReason,
        });
      });
    },

    /** The seam to the recipient lifecycle: one recipient row per approved case, payments from the month after. */
    async enrolRecipient({ caseId, decisionId }: EnrolInput): Promise<string> {
      return db.transaction(async (trx) => {
        const existing = await trx('recipients').where({ case_id: caseId }).first('id');
        if (existing) return existing.id as string;
        const c = await trx('cases').where({ id: caseId }).first('household_id', 'region_code');
        const d = await trx('decisions').where({ id: decisionId }).first();
        const id = randomUUID();
        await trx('recipients').insert({
          id, case_id: caseId, household_id: c.household_id, region_code: c.region_code, category: d.category, coverage: d.coverage,
          monthly_amount: d.monthly_amount, start_month: d.start_month, determined_on: d.decided_on, status: 'ACTIVE',
        }).onConflict('case_id').ignore();
        await audit(trx, { ...SYSTEM_ACTOR, action: 'recipient.enrol', caseId, entity: 'recipient', entityId: id, after: { category: d.category, monthlyAmount: d.monthly_amount, startMonth: d.start_month } });
        return id;
      });
    },
  };
}

/** Economic data corrected by the investigation (homeVisit / economicCheck) replaces what the application said. */
export async function adoptVerifiedHousehold(db: ActivityDeps['db'], caseId: string): Promise<void> {
  const verified = await db('tasks').where({ case_id: caseId, status: 'COMPLETED' }).whereIn('type', ['homeVisit', 'economicCheck'])
    .whereRaw("data \\? 'household'").orderBy('completed_at', 'desc').first('id', 'data', 'completed_by');
  if (!verified) return;
  await db.transaction(async (trx) => {
    const c = await trx('cases').where({ id: caseId }).first('household_id');
    const h = await trx('households').where({ id: c.household_id }).forUpdate().first('economy');
    if (JSON.stringify(h.economy) === JSON.stringify(verified.data.household)) return;
    await trx('households').where({ id: c.household_id }).update({ economy: JSON.stringify(verified.data.household) });
    await audit(trx, { actor: verified.completed_by ?? SYSTEM_ACTOR.actor, role: 'caseworker', action: 'household.verify', caseId, entity: 'household', entityId: c.household_id, before: h.economy, after: verified.data.household, reason: `verified in ${verified.id}` });
  });
}

export function monthAfter(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function toPolicyVersion(r: { id: string; region_code: string; effective_from: string; parameters: unknown; sample: boolean }): PolicyVersion {
  return { id: r.id, regionCode: r.region_code, effectiveFrom: r.effective_from, parameters: r.parameters as PolicyVersion['parameters'], sample: r.sample };
}

