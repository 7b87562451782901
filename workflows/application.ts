// The application (认定) process: submit → accept → homeVisit ∥ economicCheck → assess → firstReview → publicity →
// confirm → enrol | refusalNotice. Element ids of bpmn/application.bpmn are the step ids reported here.
import { defineUpdate, ParentClosePolicy, patched, proxyActivities, setHandler, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { Actor, AssessmentSummary } from '../activities/contracts';
import { addCalendarDays, endOfDayShanghai, IsoDate } from '../domain/calendar';
import type { AssistanceCategory } from '../domain/glossary';
import type { ApplicationReportableStep } from './application-steps';
import { CaseContext, CompleteTaskRequest, reject, TaskCompletion } from './lib/case-context';
import { Deadline } from './lib/deadline';
import { conferenceDecidedSignal, type ConferenceDecision } from './case-conference-contract';
import { CASE_STATUS_KEY, PROCESS_KEY, REGION_KEY } from './search-attributes';
import type { recipient } from './recipient';
import { recipientWorkflowId } from '../domain/recipient';

type Activities = ReturnType<typeof createActivities>;
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

/** Policy time limits of RULES.md §2, in working days unless named otherwise. */
export const APPLICATION_LIMITS = {
  firstReviewOpinion: 10, // after acceptance
  confirmation: 10, // after publicity ends
  wholeCase: 30, // after acceptance
  wholeCaseExtension: 15, // once, with a recorded reason
  refusalNotice: 3, // after the decision
  publicityCalendarDays: 7,
} as const;

export interface ApplicationInput {
  caseId: string;
  regionCode: string; // township
  receivedOn: IsoDate;
  /** False when every member is a minor: minors are not publicised (RULES.md §2). */
  publicise: boolean;
}

export interface ObjectionRequest { reason: string; actor: Actor }
export interface ExtensionRequest { reason: string; actor: Actor }

export const fileObjectionUpdate = defineUpdate<{ accepted: true }, [ObjectionRequest]>('fileObjection');
export const extendCaseUpdate = defineUpdate<{ dueOn: IsoDate }, [ExtensionRequest]>('extendCase');

export async function application(input: ApplicationInput): Promise<{ status: string }> {
  const ctx = new CaseContext(input.caseId, input.regionCode, 'SUBMITTED', input.receivedOn);
  const active = new Set<ApplicationReportableStep>(['submit']);
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
  upsertSearchAttributes([{ key: REGION_KEY, value: input.regionCode }, { key: PROCESS_KEY, value: 'application' }, { key: CASE_STATUS_KEY, value: 'SUBMITTED' }]);
  await ctx.calendar.load();

  const setStatus = (s: typeof ctx.status) => {
    ctx.status = s;
    upsertSearchAttributes([{ key: CASE_STATUS_KEY, value: s }]);
  };
  const step = async <T>(id: ApplicationReportableStep, body: () => Promise<T>): Promise<T> => {
    active.add(id);
    try { return await body(); } finally { active.delete(id); }
  };

  // accept (受理): complete papers → accepted; otherwise everything missing is listed at once and the case ends.
  active.delete('submit');
  const acceptance = await step('accept', () => ctx.humanStep('accept'));
  if (acceptance.outcome === 'RETURNED') {
    setStatus('RETURNED');
    await ctx.reportProgress({ returnedMissing: acceptance.data.missingDocuments as string[] });
    await ctx.finish();
    return { status: ctx.status };
  }
  const acceptedOn = acceptance.effectiveOn;
  setStatus('IN_REVIEW');
  const wholeCase = new Deadline(ctx, { kind: 'wholeCase', startedOn: acceptedOn, workingDays: APPLICATION_LIMITS.wholeCase });
  const firstReviewOpinion = new Deadline(ctx, { kind: 'firstReviewOpinion', startedOn: acceptedOn, workingDays: APPLICATION_LIMITS.firstReviewOpinion });
  await ctx.reportProgress({ acceptedOn });

  let inPublicity = false;
  let objections = 0;
  setHandler(fileObjectionUpdate, async () => {
    objections++;
    await ctx.settle(); // answer once the investigation has reopened
    return { accepted: true as const };
  }, {
    validator: (req) => {
      if (!inPublicity) reject('WRONG_STATE', 'objections can be filed only during publicity');
      if (!req.reason?.trim()) reject('INVALID_COMPLETION', 'an objection needs a reason');
    },
  });
  setHandler(extendCaseUpdate, async (req) => {
    wholeCase.extend(APPLICATION_LIMITS.wholeCaseExtension, req.reason);
    ctx.logInfo('whole-case deadline extended', { by: req.actor.sub });
    return { dueOn: ctx.calendar.calendar.addWorkingDays(acceptedOn, APPLICATION_LIMITS.wholeCase + APPLICATION_LIMITS.wholeCaseExtension).due };
  }, {
    validator: (req) => {
      if (wholeCase.extended) reject('WRONG_STATE', 'the case has already been extended once');
      if (wholeCase.settled) reject('WRONG_STATE', 'the case is already decided');
      if (!req.reason?.trim()) reject('INVALID_COMPLETION', 'an extension needs a recorded reason');
    },
  });

  let assessment: AssessmentSummary | undefined;
  let publicityEndOn: IsoDate | undefined;
  ctx.extraValidation.confirm = (req: CompleteTaskRequest) => {
    checkConferenceFloor(req, conferenceDecisions);
    checkDeviation(req, assessment);
  };

  // Investigation, first review and publicity; an objection during publicity sends the case back to investigation.
  for (;;) {
    await Promise.all([
      step('homeVisit', () => ctx.humanStep('homeVisit', firstReviewOpinion.due.dueAt)),
      step('economicCheck', () => ctx.humanStep('economicCheck', firstReviewOpinion.due.dueAt)),
    ]);
    assessment = await step('assess', async () => {
      await ctx.reportProgress();
      return acts.assessCase({ caseId: input.caseId, asOf: ctx.lastActOn });
    });
    const review = await step('firstReview', () => ctx.humanStep('firstReview', firstReviewOpinion.due.dueAt));
    firstReviewOpinion.meet(review.effectiveOn);
    if (!input.publicise) break;
    const objectionsBefore = objections;
    publicityEndOn = addCalendarDays(review.effectiveOn, APPLICATION_LIMITS.publicityCalendarDays);
    const publicityEnds = endOfDayShanghai(publicityEndOn);
    setStatus('IN_PUBLICITY');
    inPublicity = true;
    await step('publicity', async () => {
      await ctx.reportProgress();
      await ctx.park(() => objections > objectionsBefore, publicityEnds.getTime() - Date.now());
    });
    inPublicity = false;
    if (objections === objectionsBefore) break;
    ctx.logInfo('objection during publicity: investigation reopened');
    setStatus('IN_REVIEW');
  }

  // confirm (确认) within 10 working days after publicity ends.
  setStatus('AWAITING_DECISION');
  const confirmationStart = publicityEndOn ?? ctx.lastActOn;
  const confirmation = new Deadline(ctx, { kind: 'confirmation', startedOn: confirmationStart, workingDays: APPLICATION_LIMITS.confirmation });
  const decision = await step('confirm', () => ctx.humanStep('confirm', confirmation.due.dueAt));
  confirmation.meet(decision.effectiveOn);
  wholeCase.meet(decision.effectiveOn);
  const decisionId = `${input.caseId}:decision:1`;
  await acts.recordDecision(decisionFrom(decisionId, input.caseId, decision));

  if (decision.outcome === 'APPROVED') {
    setStatus('APPROVED');
    await step('enrol', async () => {
      await ctx.reportProgress({ decidedOn: decision.effectiveOn });
      const recipientId = await acts.enrolRecipient({ caseId: input.caseId, decisionId });
      // The seam to the recipient lifecycle (RULES.md §4). Patched: cases enrolled before it replay without the child.
      if (patched('start-recipient-workflow')) {
        const start = await acts.openRecipientCase({ recipientId });
        // ABANDON: the recipient lives on for years after this case closes. Started here, not by an activity with a
        // client, so the start is part of this history: exactly once, with no client to configure in the worker.
        await startChild<typeof recipient>('recipient', {
          workflowId: recipientWorkflowId(recipientId), args: [start], parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      }
    });
  } else {
    // Written refusal notice with reasons within 3 working days of the decision (S 一(二)); the task stays open when late.
    setStatus('REFUSED');
    const noticeId = `${input.caseId}:REFUSAL:1`;
    await acts.draftRefusalNotice({ noticeId, caseId: input.caseId, decisionId });
    await step('refusalNotice', async () => {
      const due = ctx.calendar.calendar.addWorkingDays(decision.effectiveOn, APPLICATION_LIMITS.refusalNotice);
      const taskId = await ctx.openTask('refusalNotice', due.dueAt);
      const deadline = new Deadline(ctx, { kind: 'refusalNotice', startedOn: decision.effectiveOn, workingDays: APPLICATION_LIMITS.refusalNotice, taskId });
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

/** A conference that raised the amount sets the floor of an approval (the deviation from the assessment still needs its reason). */
function checkConferenceFloor(req: CompleteTaskRequest, decisions: ConferenceDecision[]): void {
  const raise = [...decisions].reverse().find((d) => d.outcome === 'RAISE_AMOUNT' && d.raisedAmount !== undefined);
  const amount = (req.data as { monthlyAmount?: number } | undefined)?.monthlyAmount ?? 0;
  if (req.outcome !== 'APPROVED' || !raise || amount + 0.005 >= raise.raisedAmount!) return;
  reject('INVALID_COMPLETION', `the case conference ${raise.conferenceId} raised the amount to ${raise.raisedAmount} yuan; approve at least that`, {
    conferenceId: raise.conferenceId, raisedAmount: raise.raisedAmount,
  });
}

/** A confirmation that departs from the assessment needs a written reason (favouritism must be visible). */
function checkDeviation(req: CompleteTaskRequest, assessment: AssessmentSummary | undefined): void {
  if (req.outcome !== 'APPROVED' || !assessment) return;
  const data = req.data as { category?: AssistanceCategory; monthlyAmount?: number; deviationReason?: string };
  const deviates = data.category !== assessment.category || Math.abs((data.monthlyAmount ?? 0) - assessment.monthlyAmount) > 0.005;
  if (deviates && !data.deviationReason?.trim()) {
    reject('INVALID_COMPLETION', `the decision departs from the assessment (${assessment.category ?? 'no category'}, ${assessment.monthlyAmount} yuan); a deviationReason is required`, {
      assessed: { category: assessment.category, monthlyAmount: assessment.monthlyAmount },
    });
  }
}

function decisionFrom(decisionId: string, caseId: string, c: TaskCompletion) {
  const d = c.data as { category?: AssistanceCategory; monthlyAmount?: number; reasons?: string[]; deviationReason?: string };
  return {
    decisionId, caseId, outcome: c.outcome as 'APPROVED' | 'REFUSED', category: d.category, monthlyAmount: d.monthlyAmount,
    reasons: d.reasons, decidedOn: c.effectiveOn, actor: c.actor, deviationReason: d.deviationReason,
  };
}
