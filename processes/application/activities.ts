// The application workflow's side effects: the assessment on the verified household, the decision, enrolment and the
// refusal notice. Every write is keyed by an id the workflow chose, so a retried activity never adds a second row.
// Names are Temporal-visible (activity types in every history): never renamed.
import { randomUUID } from 'node:crypto';
import { audit, SYSTEM_ACTOR } from '../../data/audit';
import { getCase, updateCase } from '../../data/cases';
import type { Db } from '../../data/db';
import { insertNotice, noticeExists } from '../../data/notices';
import { applicantName, setEconomy } from '../../data/people';
import { policyFor } from '../../data/policy';
import { assessHousehold } from '../../domain/assessment';
import { confirmingLevelOf, type ConfirmingLevel } from '../../domain/policy';
import type { IsoDate } from '../../domain/calendar';
import { monthAfter } from '../../domain/dates';
import { type AssistanceCategory } from '../../domain/glossary';
import { HouseholdSchema } from '../../domain/household';
import { sameAmount } from '../../domain/money';
import type { ActivityDeps } from '../../engine/activities/deps';
import { MissingRecordError } from '../../engine/errors';
import type { Actor } from '../../engine/messages';
import { assessmentFigures, LEGAL_BASIS } from '../../engine/notices/figures';
import { AUTHORITIES, renderRefusalNotice } from '../../engine/notices/pdf';
import { officeFor, takeNoticeNo } from '../../data/offices';

export interface AssessmentSummary {
  category: AssistanceCategory | null;
  coverage: string;
  monthlyAmount: number;
  policyVersionId: string | null;
  /**
   * Who confirms in this region (policy parameter confirmingLevel, docs/policy.md §2.1). Absent in histories recorded
   * before it existed: those cases keep the county officer.
   */
  confirmingLevel?: ConfirmingLevel;
}
export interface DecisionInput {
  decisionId: string;
  caseId: string;
  outcome: 'APPROVED' | 'REFUSED';
  category?: AssistanceCategory;
  monthlyAmount?: number;
  reasons?: string[];
  decidedOn: IsoDate;
  actor: Actor;
  deviationReason?: string;
  /** The level that confirmed, as the policy in force named it. */
  confirmingLevel?: ConfirmingLevel;
}
export interface RefusalNoticeDraftInput {
  noticeId: string;
  caseId: string;
  decisionId: string;
}
export interface EnrolInput {
  caseId: string;
  decisionId: string;
}

/**
 * A decision departs from the assessment when it approves another category or amount, approves a household assessed
 * ineligible, or refuses one assessed eligible (docs/policy.md §8.2).
 */
export function departsFrom(
  assessment: { category?: string | null; monthlyAmount?: number | null } | null | undefined,
  d: { outcome: string; category?: string; monthlyAmount?: number },
): boolean {
  if (!assessment) return false;
  if (d.outcome === 'REFUSED') return !!assessment.category;
  return assessment.category !== d.category || !sameAmount(Number(assessment.monthlyAmount ?? 0), d.monthlyAmount ?? 0);
}

export function applicationActivities({ db }: ActivityDeps) {
  return {
    async assessCase({ caseId, asOf }: { caseId: string; asOf: string }): Promise<AssessmentSummary> {
      await adoptVerifiedHousehold(db, caseId);
      const row = await db('cases')
        .join('households', 'households.id', 'cases.household_id')
        .where('cases.id', caseId)
        .first('cases.region_code', db.raw('coalesce(cases.economy, households.economy) as economy'));
      const parsed = HouseholdSchema.safeParse(row?.economy);
      const policy = await policyFor(db, row?.region_code ?? '', asOf);
      if (!parsed.success || !policy) {
        // Without economic data or parameters there is nothing to compare against; the reviewer decides unaided.
        const summary: AssessmentSummary = {
          category: null,
          coverage: 'NONE',
          monthlyAmount: 0,
          policyVersionId: policy?.id ?? null,
          confirmingLevel: policy ? confirmingLevelOf(policy.parameters) : 'TOWNSHIP',
        };
        const unavailable = !parsed.success ? 'no household economic data' : 'no policy parameters in force';
        await updateCase(db, caseId, { assessment: JSON.stringify({ ...summary, unavailable }) });
        return summary;
      }
      const a = assessHousehold(parsed.data, asOf, policy);
      await updateCase(db, caseId, { assessment: JSON.stringify(a) });
      return {
        category: a.category,
        coverage: a.coverage,
        monthlyAmount: a.monthlyAmount,
        policyVersionId: a.policyVersionId,
        confirmingLevel: confirmingLevelOf(policy.parameters),
      };
    },

    async recordDecision(d: DecisionInput): Promise<void> {
      await db.transaction(async (trx) => {
        const c = await trx('cases').where({ id: d.caseId }).first('assessment');
        const assessment = c?.assessment ?? null;
        const deviation = departsFrom(assessment, d);
        const startMonth = d.outcome === 'APPROVED' ? monthAfter(d.decidedOn) : null;
        const inserted = await trx('decisions')
          .insert({
            id: d.decisionId,
            case_id: d.caseId,
            outcome: d.outcome,
            category: d.category ?? null,
            coverage: assessment?.coverage ?? null,
            monthly_amount: d.monthlyAmount ?? null,
            start_month: startMonth,
            reasons: d.reasons ? JSON.stringify(d.reasons) : null,
            decided_on: d.decidedOn,
            decided_by: d.actor.sub,
            assessment: assessment ? JSON.stringify(assessment) : null,
            policy_version_id: assessment?.policyVersionId ?? null,
            deviation,
            deviation_reason: d.deviationReason ?? null,
            confirming_level: d.confirmingLevel ?? null,
          })
          .onConflict('id')
          .ignore()
          .returning('id');
        if (!inserted.length) return;
        await updateCase(trx, d.caseId, { decided_on: d.decidedOn });
        await audit(trx, {
          actor: d.actor.sub,
          role: d.actor.role,
          action: `decision.${d.outcome.toLowerCase()}`,
          caseId: d.caseId,
          entity: 'decision',
          entityId: d.decisionId,
          after: {
            outcome: d.outcome,
            category: d.category,
            monthlyAmount: d.monthlyAmount,
            reasons: d.reasons,
            deviation,
            confirmingLevel: d.confirmingLevel,
          },
          reason: d.deviationReason,
        });
      });
    },

    /** The seam to the recipient lifecycle: one recipient row per approved case, payments from the month after. */
    async enrolRecipient({ caseId, decisionId }: EnrolInput): Promise<string> {
      return db.transaction(async (trx) => {
        const existing = await trx('recipients').where({ case_id: caseId }).first('id');
        if (existing) return existing.id as string;
        const c = await getCase(trx, caseId);
        const d = await trx('decisions').where({ id: decisionId }).first();
        if (!c || !d) throw new MissingRecordError(`enrolRecipient: no case ${caseId} or decision ${decisionId}`);
        const id = randomUUID();
        await trx('recipients')
          .insert({
            id,
            case_id: caseId,
            household_id: c.household_id,
            person_id: trx.raw(
              `(select person_id from case_people where case_id = ? order by (relation = 'APPLICANT') desc limit 1)`,
              [caseId],
            ),
            region_code: c.region_code,
            category: d.category,
            coverage: d.coverage,
            monthly_amount: d.monthly_amount,
            start_month: d.start_month,
            determined_on: d.decided_on,
            status: 'ACTIVE',
          })
          .onConflict('case_id')
          .ignore();
        await audit(trx, {
          ...SYSTEM_ACTOR,
          action: 'recipient.enrol',
          caseId,
          entity: 'recipient',
          entityId: id,
          after: { category: d.category, monthlyAmount: d.monthly_amount, startMonth: d.start_month },
        });
        return id;
      });
    },

    async draftRefusalNotice({ noticeId, caseId, decisionId }: RefusalNoticeDraftInput): Promise<void> {
      if (await noticeExists(db, noticeId)) return;
      const c = await db('cases')
        .where({ 'cases.id': caseId })
        .join('regions', 'regions.code', 'cases.region_code')
        .first('cases.household_id', 'cases.received_on', 'cases.region_code', 'regions.name as region_name');
      const d = await db('decisions')
        .where({ id: decisionId })
        .first('decided_on', 'reasons', 'assessment', 'confirming_level');
      if (!c || !d) throw new MissingRecordError(`draftRefusalNotice: no case ${caseId} or decision ${decisionId}`);
      // The office that decided issues the notice; decisions recorded before the level existed were the county's.
      const office = await officeFor(db, c.region_code, (d.confirming_level as ConfirmingLevel | null) ?? 'COUNTY');
      const applicant = (await applicantName(db, caseId)) ?? '申请人';
      await db.transaction(async (trx) => {
        if (await noticeExists(trx, noticeId)) return;
        const noticeNo = await takeNoticeNo(trx, office, Number(String(d.decided_on).slice(0, 4)));
        const content = {
          noticeNo,
          applicantName: applicant,
          householdRegion: c.region_name,
          applicationDate: c.received_on,
          decisionDate: d.decided_on,
          reasons: d.reasons as string[],
          ...AUTHORITIES,
          issuingAuthority: office.name,
          particulars: {
            legalBasis: LEGAL_BASIS.REFUSAL,
            figures: assessmentFigures(d.assessment),
            officeAddress: office.address,
            officeTelephone: office.telephone,
          },
        };
        const pdf = await renderRefusalNotice(content);
        await insertNotice(trx, {
          id: noticeId,
          caseId,
          kind: 'REFUSAL',
          noticeNo,
          regionCode: c.region_code,
          officeCode: office.code,
          content,
          pdf,
        });
      });
    },
  };
}

/** Economic data corrected by the investigation (homeVisit / economicCheck) replaces what the application said. */
export async function adoptVerifiedHousehold(db: Db, caseId: string): Promise<void> {
  const verified = await db('tasks')
    .where({ case_id: caseId, status: 'COMPLETED' })
    .whereIn('type', ['homeVisit', 'economicCheck'])
    .whereRaw("data \\? 'household'")
    .orderBy('completed_at', 'desc')
    .first('id', 'data', 'completed_by');
  if (!verified) return;
  await db.transaction(async (trx) => {
    const c = await trx('cases').where({ id: caseId }).first('household_id');
    const h = await trx('households').where({ id: c.household_id }).forUpdate().first('economy');
    if (JSON.stringify(h.economy) === JSON.stringify(verified.data.household)) return;
    await setEconomy(trx, c.household_id, verified.data.household, caseId);
    // The role is the one the completion was audited with (a county officer investigates a staff relative's case).
    const completion = await trx('audit_log')
      .where({ entity: 'task', entity_id: verified.id, action: 'task.complete' })
      .orderBy('chain_seq', 'desc')
      .first('actor', 'role');
    await audit(trx, {
      actor: completion?.actor ?? verified.completed_by ?? SYSTEM_ACTOR.actor,
      role: completion?.role ?? SYSTEM_ACTOR.role,
      action: 'household.verify',
      caseId,
      entity: 'household',
      entityId: c.household_id,
      before: h.economy,
      after: verified.data.household,
      reason: `verified in ${verified.id}`,
    });
  });
}

export type ApplicationActivities = ReturnType<typeof applicationActivities>;
