// The application (认定) workflow: submit → accept → homeVisit ∥ economicCheck → assess → firstReview → publicity →
// confirm → enrol | refusalNotice (docs/policy.md §2). The element ids of application.bpmn are the steps reported here.
import { ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import type { IsoDate } from '../../domain/calendar';
import { type AssistanceCategory } from '../../domain/glossary';
import { sameAmount, toFen } from '../../domain/money';
import { CONFIRMING_ROLE } from '../../domain/confirming-level';
import type { EngineActivities } from '../../engine/activities';
import { workingDaysOf } from '../../engine/definition';
import { fileObjectionUpdate, type CompleteTaskRequest, type TaskCompletion } from '../../engine/messages';
import { activities } from '../../engine/workflow/activity-proxy';
import { CaseContext, reject } from '../../engine/workflow/case-context';
import { Deadline } from '../../engine/workflow/deadline';
import type { ConferenceActivities } from '../caseConference/activities';
import { conferenceDecidedSignal, type ConferenceDecision } from '../caseConference/messages';
import type { RecipientActivities } from '../recipient/activities';
import { recipientProcess } from '../recipient/definition';
import type { recipient } from '../recipient/workflow';
import type { ApplicationActivities, AssessmentSummary } from './activities';
import { APPLICATION_LIMITS, applicationProcess, type ApplicationStep } from './definition';
import { extendCaseUpdate, type ApplicationInput } from './messages';

const acts = activities<EngineActivities & ApplicationActivities & RecipientActivities & ConferenceActivities>();

export async function application(input: ApplicationInput): Promise<{ status: string }> {
  const ctx = new CaseContext(applicationProcess, input.caseId, input.regionCode, input.receivedOn);
  const active = new Set<ApplicationStep>(['submit']);
  ctx.activeStepsFn = () => [...active];
  ctx.listen();
  // 一事一议 decisions sent back by a conference started for this case (POST /cases/:id/escalations). Patched so cases
  // that started before keep their command sequence on replay.
  const conferenceDecisions: ConferenceDecision[] = [];
  if (patched('conference-decision')) {
    setHandler(conferenceDecidedSignal, async (d) => {
      conferenceDecisions.push(d);
      await acts.noteConferenceDecision({ caseId: input.caseId, decision: d });
    });
  }
  await ctx.start();

  const step = async <T>(id: ApplicationStep, body: () => Promise<T>): Promise<T> => {
    active.add(id);
    try {
      return await body();
    } finally {
      active.delete(id);
    }
  };

  // accept (受理): complete papers → accepted; otherwise everything missing is listed at once and the case ends.
  active.delete('submit');
  const acceptance = await step('accept', () => ctx.humanStep('accept'));
  if (acceptance.outcome === 'RETURNED') {
    ctx.setStatus('RETURNED');
    await ctx.reportProgress({ returnedMissing: acceptance.data.missingDocuments as string[] });
    await ctx.finish();
    return { status: ctx.status };
  }
  const acceptedOn = acceptance.effectiveOn;
  ctx.setStatus('IN_REVIEW');
  const wholeCase = new Deadline(ctx, { kind: 'wholeCase', startedOn: acceptedOn });
  const firstReviewOpinion = new Deadline(ctx, { kind: 'firstReviewOpinion', startedOn: acceptedOn });
  await ctx.reportProgress({ acceptedOn });

  let inPublicity = false;
  let objections = 0;
  setHandler(
    fileObjectionUpdate,
    async (req) => {
      const audited = ctx.auditObjection(req);
      objections++;
      await ctx.settle(); // answer once the investigation has reopened
      return { accepted: true as const, ...(audited ? { audited: true as const } : {}) };
    },
    {
      validator: (req) => {
        if (!inPublicity) reject('WRONG_STATE', 'objections can be filed only during publicity');
        if (!req.reason?.trim()) reject('INVALID_COMPLETION', 'an objection needs a reason');
      },
    },
  );
  setHandler(
    extendCaseUpdate,
    async (req) => {
      wholeCase.extend(APPLICATION_LIMITS.wholeCaseExtensionWorkingDays, req.reason);
      ctx.logInfo('whole-case deadline extended', { by: req.actor.sub });
      const days = wholeCase.spec.workingDays + APPLICATION_LIMITS.wholeCaseExtensionWorkingDays;
      const dueOn = ctx.calendar.calendar.addWorkingDays(acceptedOn, days).due;
      const audited = ctx.auditWithTransition(req.actor, {
        action: 'case.extend',
        entity: 'case',
        entityId: input.caseId,
        after: { dueOn },
        reason: req.reason,
      });
      if (!audited) return { dueOn };
      await ctx.settle(); // answer once the row and the moved deadline are written
      return { dueOn, audited: true as const };
    },
    {
      validator: (req) => {
        if (wholeCase.extended) reject('WRONG_STATE', 'the case has already been extended once');
        if (wholeCase.settled) reject('WRONG_STATE', 'the case is already decided');
        if (!req.reason?.trim()) reject('INVALID_COMPLETION', 'an extension needs a recorded reason');
      },
    },
  );

  let assessment: AssessmentSummary | undefined;
  let publicityEndOn: IsoDate | undefined;
  ctx.extraValidation.confirm = (req: CompleteTaskRequest) => {
    requireConferenceFloor(req, conferenceDecisions);
    requireDeviationReason(req, assessment);
  };

  // Investigation, first review and publicity; an objection during publicity sends the case back to investigation.
  for (;;) {
    await ctx.all([
      () =>
        step('homeVisit', () =>
          ctx.humanStep('homeVisit', {
            deadline: firstReviewOpinion,
            // 近亲属备案: the county investigates a staff relative's household itself (docs/policy.md §2.5).
            ...(input.staffRelative ? { candidateRole: 'county_officer' as const } : {}),
          }),
        ),
      () => step('economicCheck', () => ctx.humanStep('economicCheck', { deadline: firstReviewOpinion })),
    ]);
    assessment = await step('assess', async () => {
      await ctx.reportProgress();
      return acts.assessCase({ caseId: input.caseId, asOf: ctx.lastActOn });
    });
    const review = await step('firstReview', () => ctx.humanStep('firstReview', { deadline: firstReviewOpinion }));
    firstReviewOpinion.meet(review.effectiveOn);
    if (!input.publicise) break;
    const objectionsBefore = objections;
    const publicityEnd = ctx.calendar.periodEnd(review.effectiveOn, APPLICATION_LIMITS.publicity);
    publicityEndOn = publicityEnd.due;
    ctx.setStatus('IN_PUBLICITY');
    inPublicity = true;
    await step('publicity', async () => {
      await ctx.reportProgress();
      await ctx.waitUntil(() => objections > objectionsBefore, Date.parse(publicityEnd.dueAt) - Date.now());
    });
    inPublicity = false;
    if (objections === objectionsBefore) break;
    ctx.logInfo('objection during publicity: investigation reopened');
    ctx.setStatus('IN_REVIEW');
  }

  // confirm (确认) within 10 working days after publicity ends.
  ctx.setStatus('AWAITING_DECISION');
  const confirmationStart = publicityEndOn ?? ctx.lastActOn;
  const confirmation = new Deadline(ctx, { kind: 'confirmation', startedOn: confirmationStart });
  // Who confirms is the region's policy (docs/policy.md §2.1); cases assessed before it was answered keep the county.
  const confirmingLevel = assessment?.confirmingLevel;
  const decision = await step('confirm', () =>
    ctx.humanStep('confirm', {
      deadline: confirmation,
      ...(confirmingLevel ? { candidateRole: CONFIRMING_ROLE[confirmingLevel] } : {}),
    }),
  );
  confirmation.meet(decision.effectiveOn);
  wholeCase.meet(decision.effectiveOn);
  const decisionId = `${input.caseId}:decision:1`;
  await acts.recordDecision({ ...decisionFrom(decisionId, input.caseId, decision), confirmingLevel });

  if (decision.outcome === 'APPROVED') {
    ctx.setStatus('APPROVED');
    await step('enrol', async () => {
      await ctx.reportProgress({ decidedOn: decision.effectiveOn });
      const recipientId = await acts.enrolRecipient({ caseId: input.caseId, decisionId });
      // The seam to the recipient lifecycle (docs/policy.md §4). Patched: cases enrolled before it replay without it.
      if (patched('start-recipient-workflow')) {
        const start = await acts.openRecipientCase({ recipientId });
        // ABANDON: the recipient lives on for years after this case closes. Started here, not by an activity with a
        // client, so the start is part of this history: exactly once, with no client to configure in the worker.
        await startChild<typeof recipient>(recipientProcess.name, {
          workflowId: recipientProcess.workflowId(recipientId),
          args: [start],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      }
    });
  } else {
    // Written refusal notice with reasons within 3 working days of the decision (plan 一(二)); the task stays open when
    // late.
    ctx.setStatus('REFUSED');
    const noticeId = `${input.caseId}:REFUSAL:1`;
    await acts.draftRefusalNotice({ noticeId, caseId: input.caseId, decisionId });
    await step('refusalNotice', async () => {
      const due = ctx.calendar.calendar.addWorkingDays(
        decision.effectiveOn,
        workingDaysOf(applicationProcess.deadlines.refusalNotice),
      );
      const taskId = await ctx.openTask('refusalNotice', { dueAt: due.dueAt });
      const deadline = new Deadline(ctx, { kind: 'refusalNotice', startedOn: decision.effectiveOn, taskId });
      await ctx.reportProgress({ decidedOn: decision.effectiveOn });
      const issued = await ctx.waitForTask(taskId);
      await acts.issueNotice({ noticeId, actor: issued.actor, issuedOn: issued.effectiveOn });
      deadline.meet(issued.effectiveOn);
      await deadline.done;
    });
  }
  await Promise.all([wholeCase.done, firstReviewOpinion.done, confirmation.done]);
  await ctx.reportProgress();
  await ctx.finish();
  return { status: ctx.status };
}

/** A conference that raised the amount sets the floor of an approval (the deviation still needs its reason). */
function requireConferenceFloor(req: CompleteTaskRequest, decisions: ConferenceDecision[]): void {
  const raise = [...decisions].reverse().find((d) => d.outcome === 'RAISE_AMOUNT' && d.raisedAmount !== undefined);
  const amount = (req.data as { monthlyAmount?: number } | undefined)?.monthlyAmount ?? 0;
  if (req.outcome !== 'APPROVED' || !raise || toFen(amount) >= toFen(raise.raisedAmount!)) return;
  reject(
    'INVALID_COMPLETION',
    `the case conference ${raise.conferenceId} raised the amount to ${raise.raisedAmount} yuan; approve at least that`,
    { conferenceId: raise.conferenceId, raisedAmount: raise.raisedAmount },
  );
}

/**
 * A confirmation that departs from the assessment needs a written reason (favouritism must be visible, docs/policy.md
 * §8.2): another category or amount, an approval of a household assessed ineligible, a refusal of one assessed
 * eligible.
 */
function requireDeviationReason(req: CompleteTaskRequest, assessment: AssessmentSummary | undefined): void {
  if (!assessment) return;
  const data = req.data as { category?: AssistanceCategory; monthlyAmount?: number; deviationReason?: string };
  const deviates =
    req.outcome === 'REFUSED'
      ? assessment.category !== null
      : data.category !== assessment.category || !sameAmount(data.monthlyAmount ?? 0, assessment.monthlyAmount);
  if (deviates && !data.deviationReason?.trim()) {
    reject(
      'INVALID_COMPLETION',
      `the decision departs from the assessment (${assessment.category ?? 'no category'}, ` +
        `${assessment.monthlyAmount} yuan); ` +
        'a deviationReason is required',
      { assessed: { category: assessment.category, monthlyAmount: assessment.monthlyAmount } },
    );
  }
}

function decisionFrom(decisionId: string, caseId: string, c: TaskCompletion) {
  const d = c.data as {
    category?: AssistanceCategory;
    monthlyAmount?: number;
    reasons?: string[];
    deviationReason?: string;
  };
  return {
    decisionId,
    caseId,
    outcome: c.outcome as 'APPROVED' | 'REFUSED',
    category: d.category,
    monthlyAmount: d.monthlyAmount,
    reasons: d.reasons,
    decidedOn: c.effectiveOn,
    actor: c.actor,
    deviationReason: d.deviationReason,
  };
}
