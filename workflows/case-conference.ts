// One-case-one-discussion (一事一议, RULES.md §6): each invited department gives an opinion by a deadline; the chair
// (county officer) decides once every opinion is in or the opinion deadline has passed; the decision goes back to the
// case that asked — as the child's result, or by `conferenceDecidedSignal` to `origin.workflowId`.
// Element ids of bpmn/caseConference.bpmn are the step ids reported here.
import { getExternalWorkflowHandle, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { shanghaiDate } from '../domain/calendar';
import type { CaseStatus, Department } from '../domain/glossary';
import { conferenceDecidedSignal, type CaseConferenceInput, type ConferenceDecision } from './case-conference-contract';
import type { ConferenceReportableStep } from './case-conference-steps';
import { CaseContext, reject } from './lib/case-context';
import { Deadline } from './lib/deadline';
import { CASE_STATUS_KEY, PROCESS_KEY, REGION_KEY } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

/** Working days; the policy names no numbers, so these are the county's working defaults (README, "Supervision"). */
export const CONFERENCE_LIMITS = {
  opinion: 5, // each department's opinion, from the request (overridable per request: opinionWorkingDays)
  decisionAfterOpinions: 5, // the chair's decision, after the opinion deadline
} as const;

export const caseConferenceWorkflowId = (conferenceId: string) => `caseConference-${conferenceId}`;

export async function caseConference(input: CaseConferenceInput): Promise<ConferenceDecision> {
  const startedOn = shanghaiDate(Date.now());
  const ctx = new CaseContext(input.conferenceId, input.regionCode, 'CONVENED', startedOn);
  const active = new Set<ConferenceReportableStep>(['conferenceOpinion']);
  ctx.activeStepsFn = () => [...active];
  ctx.listen();
  upsertSearchAttributes([{ key: REGION_KEY, value: input.regionCode }, { key: PROCESS_KEY, value: 'caseConference' }, { key: CASE_STATUS_KEY, value: 'CONVENED' }]);
  await ctx.calendar.load();
  const setStatus = (s: CaseStatus) => {
    ctx.status = s;
    upsertSearchAttributes([{ key: CASE_STATUS_KEY, value: s }]);
  };

  const opinionDays = input.opinionWorkingDays ?? CONFERENCE_LIMITS.opinion;
  const opinionDue = ctx.calendar.calendar.addWorkingDays(startedOn, opinionDays);
  const departments = [...new Set(input.departments)];
  await acts.openConference({ ...input, departments, workflowId: caseConferenceWorkflowId(input.conferenceId), startedOn, opinionDueOn: opinionDue.due });

  const opinions: { department: Department; taskId: string; deadline: Deadline }[] = [];
  for (const department of departments) {
    const taskId = await ctx.openTask('conferenceOpinion', opinionDue.dueAt, { department });
    const deadline = new Deadline(ctx, { kind: 'conferenceOpinion', startedOn, workingDays: opinionDays, taskId });
    opinions.push({ department, taskId, deadline });
    void ctx.park(() => ctx.tasks.get(taskId)!.status !== 'OPEN').then(() => {
      const t = ctx.tasks.get(taskId)!;
      if (t.status === 'COMPLETED') deadline.meet(t.completion!.effectiveOn);
    });
  }
  // The chair's task exists from the start so the chair sees what is coming; deciding early is refused.
  const decisionDays = opinionDays + CONFERENCE_LIMITS.decisionAfterOpinions;
  const chairTaskId = await ctx.openTask('caseConference', ctx.calendar.calendar.addWorkingDays(startedOn, decisionDays).dueAt);
  const decisionDeadline = new Deadline(ctx, { kind: 'conferenceDecision', startedOn, workingDays: decisionDays, taskId: chairTaskId });
  const awaited = () => opinions.filter((o) => ctx.tasks.get(o.taskId)!.status === 'OPEN');
  // Every opinion in, or the opinion deadline passed (its timer fired: a late opinion is still welcome until the decision).
  const opinionsClosed = () => awaited().every((o) => o.deadline.overdue);
  ctx.extraValidation.caseConference = () => {
    if (!opinionsClosed()) {
      reject('WRONG_STATE', `opinions are awaited from ${awaited().map((o) => o.department).join(', ')} until ${opinionDue.due}`, {
        awaited: awaited().map((o) => o.department), opinionDueOn: opinionDue.due,
      });
    }
  };
  await ctx.reportProgress();

  await ctx.park(opinionsClosed);
  active.delete('conferenceOpinion');
  active.add('caseConference');
  await ctx.reportProgress();
  const decided = await ctx.waitForTask(chairTaskId);
  decisionDeadline.meet(decided.effectiveOn);
  active.delete('caseConference');

  // Departments that never answered are recorded as missing; their tasks close so no opinion arrives after the decision.
  const missing = awaited();
  for (const o of missing) {
    ctx.tasks.get(o.taskId)!.status = 'CANCELLED';
    await acts.closeTask({ taskId: o.taskId, status: 'CANCELLED', comment: `no opinion by ${opinionDue.due}; recorded as missing`, closedAt: new Date(Date.now()).toISOString() });
    o.deadline.cancel();
  }
  const data = decided.data as { raisedAmount?: number; department?: Department; notes?: string };
  const decision: ConferenceDecision = {
    conferenceId: input.conferenceId,
    outcome: decided.outcome as ConferenceDecision['outcome'],
    ...(data.raisedAmount !== undefined ? { raisedAmount: data.raisedAmount } : {}),
    ...(data.department !== undefined ? { department: data.department } : {}),
    ...(data.notes !== undefined ? { notes: data.notes } : {}),
    missingOpinions: missing.map((o) => o.department),
    decidedOn: decided.effectiveOn,
  };
  setStatus('DECIDED');

  active.add('reportDecision');
  let originNotified = false;
  if (input.origin) {
    try {
      await getExternalWorkflowHandle(input.origin.workflowId).signal(conferenceDecidedSignal, decision);
      originNotified = true;
    } catch (err) {
      // The case closed meanwhile: the decision stays on record (conference row, audit) for a person to act on.
      ctx.logInfo('originating case could not be told of the decision', { error: (err as Error).message });
    }
  }
  await acts.recordConferenceDecision({ decision, caseId: input.caseId, actor: decided.actor, originNotified });
  await Promise.all([...opinions.map((o) => o.deadline.done), decisionDeadline.done]);
  active.clear();
  await ctx.reportProgress({ decidedOn: decision.decidedOn });
  await ctx.finish();
  return decision;
}
