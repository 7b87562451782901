// Emergency assistance (急难社会救助, docs/policy.md §5): emergencyAdvance → justification → no further help | a regular
// application | staged assistance | a case conference. Element ids of bpmn/emergency.bpmn are the step ids reported
// here.
//
// Staged assistance runs inside this workflow rather than as a child: stage reviews are tasks of the emergency case,
// and the task API sends every completion to the workflow that owns the case.
import { executeChild, ParentClosePolicy, patched, setHandler, startChild, uuid4 } from '@temporalio/workflow';
import { startOfDayShanghai } from '../../domain/calendar';
import { advancePaymentId, EMERGENCY_LIMITS, stageMonth, stagePaymentId } from '../../domain/emergency';
import { type Department } from '../../domain/glossary';
import { type Household } from '../../domain/household';
import { sameAmount } from '../../domain/money';
import type { EngineActivities } from '../../engine/activities';
import type { TaskCompletion } from '../../engine/messages';
import { activities } from '../../engine/workflow/activity-proxy';
import { CaseContext, reject } from '../../engine/workflow/case-context';
import { Deadline } from '../../engine/workflow/deadline';
import { applicationProcess } from '../application/definition';
import type { ApplicationInput } from '../application/messages';
import type { application } from '../application/workflow';
import { caseConferenceProcess } from '../caseConference/definition';
import type { ConferenceActivities } from '../caseConference/activities';
import { conferenceDecidedSignal, type CaseConferenceInput, type ConferenceDecision } from '../caseConference/messages';
import type { caseConference } from '../caseConference/workflow';
import type { EmergencyActivities, EvidenceRef } from './activities';
import { emergencyProcess, type EmergencyStep } from './definition';
import type { EmergencyInput, EmergencyResult } from './messages';

const acts = activities<EngineActivities & EmergencyActivities & ConferenceActivities>();

type Ctx = CaseContext<typeof emergencyProcess>;
type Step = <T>(id: EmergencyStep, body: () => Promise<T>) => Promise<T>;

export async function emergency(input: EmergencyInput): Promise<EmergencyResult> {
  const ctx = new CaseContext(emergencyProcess, input.caseId, input.regionCode, input.receivedOn);
  const active = new Set<EmergencyStep>(['emergencyAdvance']);
  ctx.activeStepsFn = () => [...active];
  ctx.listen();
  // 一事一议 decisions of a conference requested through the API for this case (docs/policy.md §6.4): recorded; a
  // raised amount pays the difference to what the case has paid. Patched: cases started before replay unchanged.
  if (patched('emergency-conference-decision')) {
    setHandler(conferenceDecidedSignal, async (d) => {
      await acts.noteConferenceDecision({ caseId: input.caseId, decision: d });
      if (d.outcome === 'RAISE_AMOUNT' && d.raisedAmount !== undefined)
        await acts.payConferenceDifference({ caseId: input.caseId, decision: d });
    });
  }
  await ctx.start();

  const step: Step = async (id, body) => {
    active.add(id);
    try {
      return await body();
    } finally {
      active.delete(id);
    }
  };
  const result: EmergencyResult = { status: 'SUBMITTED' };
  /** Deadlines opened along the way; the workflow ends only once each has written its final state. */
  const settling: Promise<void>[] = [];

  // emergencyAdvance: paid at once with no economic check, within 3 days of the request.
  const handling = new Deadline(ctx, { kind: 'emergencyHandling', startedOn: input.receivedOn });
  const paidOn = ctx.today();
  await acts.recordEmergencyPayment({
    paymentId: advancePaymentId(input.caseId),
    kind: 'EMERGENCY_ADVANCE',
    caseId: input.caseId,
    amount: input.advance.amount,
    month: paidOn.slice(0, 7),
    paidOn,
    actor: input.requestedBy,
    details: { cap: input.advance.cap, policyVersionId: input.advance.policyVersionId },
  });
  handling.meet(paidOn);
  active.delete('emergencyAdvance');
  ctx.setStatus('ADVANCE_PAID');

  // justification (事后补充说明) within N working days of payment; late → overdue, supervisors told, the task stays open.
  ctx.extraValidation.justification = (req) => {
    const paid = (req.data as { amountPaid?: number }).amountPaid ?? 0;
    if (!sameAmount(paid, input.advance.amount)) {
      reject(
        'INVALID_COMPLETION',
        `amountPaid ${paid} differs from the advance recorded (${input.advance.amount} yuan)`,
        { recorded: input.advance.amount },
      );
    }
  };
  const justified = await step('justification', async () => {
    const due = ctx.calendar.calendar.addWorkingDays(paidOn, input.justificationWorkingDays);
    const taskId = await ctx.openTask('justification', { dueAt: due.dueAt });
    const deadline = new Deadline(ctx, {
      kind: 'justification',
      startedOn: paidOn,
      workingDays: input.justificationWorkingDays,
      taskId,
    });
    await ctx.reportProgress();
    const c = await ctx.waitForTask(taskId);
    deadline.meet(c.effectiveOn);
    return { ...c, taskId, deadline };
  });
  const data = justified.data as {
    facts: string;
    amountPaid: number;
    evidence?: EvidenceRef[];
    household?: Household;
    stages?: { amount: number }[];
    conference?: { reason: string; proposal?: string; departments: Department[] };
  };
  await acts.recordJustification({
    caseId: input.caseId,
    taskId: justified.taskId,
    outcome: justified.outcome,
    facts: data.facts,
    amountPaid: data.amountPaid,
    evidence: data.evidence ?? [],
    justifiedOn: justified.effectiveOn,
    actor: justified.actor,
  });
  ctx.setStatus('JUSTIFIED');
  result.outcome = justified.outcome;
  await ctx.reportProgress();

  if (justified.outcome === 'REGULAR_ASSISTANCE') {
    result.followUpCaseId = await step('regularApplication', () =>
      openRegularApplication(input, justified, data.household),
    );
  } else if (justified.outcome === 'STAGED_ASSISTANCE') {
    result.stagesPaid = await runStages(ctx, input, justified, data.stages!, step, settling);
  } else if (justified.outcome === 'CASE_CONFERENCE') {
    result.conferenceId = await conference(ctx, input, justified, data.conference!, step);
  }

  await Promise.all([handling.done, justified.deadline.done, ...settling]);
  result.status = ctx.status;
  await ctx.reportProgress();
  await ctx.finish();
  return result;
}

/** The regular review is the application workflow itself, on a new case of the same household; this case ends here. */
async function openRegularApplication(
  input: EmergencyInput,
  justified: TaskCompletion,
  household: Household | undefined,
): Promise<string> {
  const caseId = uuid4();
  const { publicise } = await acts.openRegularApplication({
    emergencyCaseId: input.caseId,
    caseId,
    household,
    receivedOn: justified.effectiveOn,
    actor: justified.actor,
  });
  const args: ApplicationInput = { caseId, regionCode: input.regionCode, receivedOn: justified.effectiveOn, publicise };
  // Abandoned on close: the application outlives the emergency, and its own id lets the task API reach it.
  await startChild<typeof application>(applicationProcess.name, {
    workflowId: applicationProcess.workflowId(caseId),
    args: [args],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  return caseId;
}

/**
 * 分阶段救助: the plan approved once with the justification; before each stage a reviewer continues, changes the amount,
 * or stops. Stage k is reviewed on the first day of its month (stage 1 at once) and paid when the review is done.
 */
async function runStages(
  ctx: Ctx,
  input: EmergencyInput,
  justified: TaskCompletion,
  plan: { amount: number }[],
  step: Step,
  settling: Promise<void>[],
): Promise<number> {
  const planId = `${input.caseId}:plan:1`;
  const approvedOn = justified.effectiveOn;
  const stages = plan.map((s, i) => ({ month: stageMonth(approvedOn, i + 1), amount: s.amount }));
  await acts.recordStagePlan({ planId, caseId: input.caseId, stages, approvedOn, actor: justified.actor });
  ctx.setStatus('IN_STAGES');
  let paid = 0;
  for (let k = 1; k <= stages.length; k++) {
    const stage = stages[k - 1];
    if (k > 1) {
      await step('nextStage', async () => {
        await ctx.reportProgress();
        await ctx.waitUntil(() => false, startOfDayShanghai(`${stage.month}-01`).getTime() - Date.now());
      });
    }
    const review = await step('stagedAssistance', async () => {
      const openedOn = ctx.today() > ctx.lastActOn ? ctx.today() : ctx.lastActOn;
      const due = ctx.calendar.calendar.addWorkingDays(openedOn, EMERGENCY_LIMITS.stageReviewWorkingDays);
      const taskId = await ctx.openTask('stagedAssistance', { dueAt: due.dueAt });
      const deadline = new Deadline(ctx, { kind: 'stageReview', startedOn: openedOn, taskId });
      settling.push(deadline.done);
      await ctx.reportProgress();
      const c = await ctx.waitForTask(taskId);
      deadline.meet(c.effectiveOn);
      return c;
    });
    const d = review.data as { newAmount?: number; reason?: string };
    if (review.outcome === 'STOP') {
      await acts.updateStagePlan({
        planId,
        caseId: input.caseId,
        change: 'STOP',
        stage: k,
        actor: review.actor,
        reason: d.reason,
      });
      break;
    }
    if (review.outcome === 'CHANGE_AMOUNT') {
      stage.amount = d.newAmount!;
      await acts.updateStagePlan({
        planId,
        caseId: input.caseId,
        change: 'CHANGE_AMOUNT',
        stage: k,
        amount: stage.amount,
        actor: review.actor,
        reason: d.reason,
      });
    }
    await step('stagePayment', async () => {
      await acts.recordEmergencyPayment({
        paymentId: stagePaymentId(input.caseId, k),
        kind: 'STAGE',
        caseId: input.caseId,
        amount: stage.amount,
        month: stage.month,
        paidOn: review.effectiveOn,
        actor: review.actor,
        details: { planId, stage: k, stages: stages.length },
      });
      await acts.updateStagePlan({ planId, caseId: input.caseId, change: 'PAID', stage: k });
    });
    paid++;
  }
  if (paid === stages.length) await acts.updateStagePlan({ planId, caseId: input.caseId, change: 'COMPLETE' });
  ctx.setStatus('CLOSED');
  return paid;
}

/** 一事一议 as a child workflow (processes/caseConference/); its decision goes back into this case. */
async function conference(
  ctx: Ctx,
  input: EmergencyInput,
  justified: TaskCompletion,
  request: { reason: string; proposal?: string; departments: Department[] },
  step: Step,
): Promise<string> {
  const conferenceId = uuid4();
  const args: CaseConferenceInput = {
    conferenceId,
    caseId: input.caseId,
    regionCode: input.regionCode,
    reason: request.reason,
    proposal: request.proposal,
    departments: request.departments,
    requestedBy: { sub: justified.actor.sub, role: justified.actor.role },
  };
  await acts.recordConferenceHandOff({
    caseId: input.caseId,
    conferenceId,
    actor: justified.actor,
    reason: request.reason,
  });
  const decision = await step('caseConference', async () => {
    let outcome: { decision: ConferenceDecision } | { error: unknown } | undefined;
    void executeChild<typeof caseConference>(caseConferenceProcess.name, {
      workflowId: caseConferenceProcess.workflowId(conferenceId),
      args: [args],
    }).then(
      (d) => {
        outcome = { decision: d };
      },
      (error) => {
        outcome = { error };
      },
    );
    await ctx.reportProgress();
    // Parked, so the justification's Update answers while the departments deliberate.
    await ctx.waitUntil(() => outcome !== undefined);
    if ('error' in outcome!) throw outcome.error;
    return outcome!.decision;
  });
  await step('conferenceAction', () => acts.actOnConferenceDecision({ caseId: input.caseId, decision }));
  return conferenceId;
}
