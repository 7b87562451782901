// One-case-one-discussion (一事一议, docs/policy.md §6): each invited department gives an opinion by a deadline; the chair
// (county officer) decides once every opinion is in or the opinion deadline has passed; the decision goes back to the
// case that asked — as the child's result, or by `conferenceDecidedSignal` to `origin.workflowId`.
// Element ids of caseConference.bpmn are the step ids reported here.
import { getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { shanghaiDate } from '../../domain/calendar';
import { type Department } from '../../domain/glossary';
import type { EngineActivities } from '../../engine/activities';
import { workingDaysOf } from '../../engine/definition';
import { activities } from '../../engine/workflow/activity-proxy';
import { CaseContext, reject } from '../../engine/workflow/case-context';
import { Deadline } from '../../engine/workflow/deadline';
import type { ConferenceActivities } from './activities';
import { caseConferenceProcess, type ConferenceStep } from './definition';
import { conferenceDecidedSignal, type CaseConferenceInput, type ConferenceDecision } from './messages';

const acts = activities<EngineActivities & ConferenceActivities>();
const LIMITS = caseConferenceProcess.deadlines;

export async function caseConference(input: CaseConferenceInput): Promise<ConferenceDecision> {
  const startedOn = shanghaiDate(Date.now());
  const ctx = new CaseContext(caseConferenceProcess, input.conferenceId, input.regionCode, startedOn);
  const active = new Set<ConferenceStep>(['conferenceOpinion']);
  ctx.activeStepsFn = () => [...active];
  ctx.listen();
  await ctx.start();

  const opinionDays = input.opinionWorkingDays ?? workingDaysOf(LIMITS.conferenceOpinion);
  const opinionDue = ctx.calendar.calendar.addWorkingDays(startedOn, opinionDays);
  const departments = [...new Set(input.departments)];
  const workflowId = caseConferenceProcess.workflowId(input.conferenceId);
  await acts.openConference({ ...input, departments, workflowId, startedOn, opinionDueOn: opinionDue.due });

  const opinions: { department: Department; taskId: string; deadline: Deadline<typeof caseConferenceProcess> }[] = [];
  for (const department of departments) {
    const taskId = await ctx.openTask('conferenceOpinion', { dueAt: opinionDue.dueAt, department });
    const deadline = new Deadline(ctx, { kind: 'conferenceOpinion', startedOn, workingDays: opinionDays, taskId });
    opinions.push({ department, taskId, deadline });
    void ctx.branch(async () => {
      await ctx.waitUntil(() => ctx.tasks.get(taskId)!.status !== 'OPEN');
      const t = ctx.tasks.get(taskId)!;
      if (t.status === 'COMPLETED') deadline.meet(t.completion!.effectiveOn);
    });
  }
  // The chair's task exists from the start so the chair sees what is coming; deciding early is refused.
  const decisionDays = opinionDays + workingDaysOf(LIMITS.conferenceDecision);
  const chairTaskId = await ctx.openTask('caseConference', {
    dueAt: ctx.calendar.calendar.addWorkingDays(startedOn, decisionDays).dueAt,
  });
  const decisionDeadline = new Deadline(ctx, {
    kind: 'conferenceDecision',
    startedOn,
    workingDays: decisionDays,
    taskId: chairTaskId,
  });
  const awaited = () => opinions.filter((o) => ctx.tasks.get(o.taskId)!.status === 'OPEN');
  // Every opinion in, or the opinion deadline passed (its timer fired: a late opinion is still welcome until the
  // decision).
  const opinionsClosed = () => awaited().every((o) => o.deadline.overdue);
  ctx.extraValidation.caseConference = () => {
    if (!opinionsClosed()) {
      reject(
        'WRONG_STATE',
        `opinions are awaited from ${awaited()
          .map((o) => o.department)
          .join(', ')} until ${opinionDue.due}`,
        {
          awaited: awaited().map((o) => o.department),
          opinionDueOn: opinionDue.due,
        },
      );
    }
  };
  await ctx.reportProgress();

  await ctx.waitUntil(opinionsClosed);
  active.delete('conferenceOpinion');
  active.add('caseConference');
  await ctx.reportProgress();
  const decided = await ctx.waitForTask(chairTaskId);
  decisionDeadline.meet(decided.effectiveOn);
  active.delete('caseConference');

  // Departments that never answered are recorded as missing; their tasks close so no opinion arrives after the
  // decision.
  const missing = awaited();
  for (const o of missing) {
    await ctx.cancelTask(o.taskId, `no opinion by ${opinionDue.due}; recorded as missing`);
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
  ctx.setStatus('DECIDED');

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
  active.delete('reportDecision');

  // A department takes over (docs/policy.md §6.4): it gets a task with a deadline, and its feedback lands in the case
  // that asked. Patched: conferences decided before keep ending here.
  let takeover: Deadline<typeof caseConferenceProcess> | undefined;
  if (decision.outcome === 'DEPARTMENT_TAKES_OVER' && decision.department && patched('conference-takeover-task')) {
    active.add('departmentTakeover');
    const decidedOn = decision.decidedOn;
    const due = ctx.calendar.periodEnd(decidedOn, LIMITS.departmentTakeover);
    const taskId = await ctx.openTask('departmentTakeover', { dueAt: due.dueAt, department: decision.department });
    takeover = new Deadline(ctx, { kind: 'departmentTakeover', startedOn: decidedOn, taskId });
    await ctx.reportProgress();
    const done = await ctx.waitForTask(taskId);
    takeover.meet(done.effectiveOn);
    await acts.recordTakeoverFeedback({
      conferenceId: input.conferenceId,
      caseId: input.caseId,
      department: decision.department,
      feedback: (done.data as { feedback: string }).feedback,
      reportedOn: done.effectiveOn,
      actor: done.actor,
    });
    active.delete('departmentTakeover');
  }
  await Promise.all([
    ...opinions.map((o) => o.deadline.done),
    decisionDeadline.done,
    ...(takeover ? [takeover.done] : []),
  ]);
  active.clear();
  await ctx.reportProgress({ decidedOn: decision.decidedOn });
  await ctx.finish();
  return decision;
}
