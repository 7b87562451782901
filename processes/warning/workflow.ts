// A warning as a case (docs/policy.md §7.3; docs/monitoring.md): the township verifies it (a task timed by a deadline
// on the escalation ladder), then handles it as its class allows (domain/monitoring.ts HANDLINGS_BY_CLASS), then it
// closes with an outcome and a reason. Element ids of warning.bpmn are the step ids reported here.
import { executeChild, uuid4 } from '@temporalio/workflow';
import { KINDS_BY_DEPARTMENT, type AssistanceKind } from '../../domain/assistance';
import type { Department } from '../../domain/glossary';
import { HANDLINGS_BY_CLASS, type Handling } from '../../domain/monitoring';
import type { EngineActivities } from '../../engine/activities';
import type { TaskCompletion } from '../../engine/messages';
import { activities } from '../../engine/workflow/activity-proxy';
import { CaseContext, reject } from '../../engine/workflow/case-context';
import { Deadline } from '../../engine/workflow/deadline';
import { caseConferenceProcess } from '../caseConference/definition';
import type { CaseConferenceInput, ConferenceDecision } from '../caseConference/messages';
import type { caseConference } from '../caseConference/workflow';
import type { WarningActivities } from './activities';
import { warningProcess, type WarningStep } from './definition';
import type { WarningInput, WarningResult } from './messages';

const acts = activities<EngineActivities & WarningActivities>();
type Ctx = CaseContext<typeof warningProcess>;

export async function warning(input: WarningInput): Promise<WarningResult> {
  const ctx: Ctx = new CaseContext(warningProcess, input.warningId, input.regionCode, input.raisedOn);
  const active = new Set<WarningStep>(['warningVerification']);
  ctx.activeStepsFn = () => [...active];
  ctx.listen();
  await ctx.start();

  const allowed = HANDLINGS_BY_CLASS[input.warningClass] as readonly string[];
  ctx.extraValidation.warningVerification = (req) => {
    if (!allowed.includes(req.outcome)) {
      reject('INVALID_COMPLETION', `a ${input.warningClass} warning is handled by ${allowed.join(', ')}`, { allowed });
    }
  };
  // A department assists with what it is competent for (domain/assistance.ts), as in its own reports.
  ctx.extraValidation.departmentFeedback = (req) => {
    if (req.outcome !== 'ASSISTED') return;
    const department = ctx.tasks.get(req.taskId)?.department;
    const kinds = (department && KINDS_BY_DEPARTMENT[department]) || [];
    if (!kinds.includes(req.data?.assistanceKind as AssistanceKind)) {
      reject('INVALID_COMPLETION', `${department} reports ${kinds.join(', ') || 'no assistance kind'}`, { kinds });
    }
  };
  const verifyBy = new Deadline(ctx, { kind: 'warningVerification', startedOn: input.raisedOn });
  const verified = await ctx.humanStep('warningVerification', { deadline: verifyBy });
  verifyBy.meet(verified.effectiveOn);
  active.delete('warningVerification');
  const handling = verified.outcome as Handling;
  const data = verified.data as { reason: string; department?: Department; departments?: Department[] };
  if (handling !== 'FALSE_ALARM') ctx.setStatus('HANDLING');
  await acts.recordWarningHandling({
    warningId: input.warningId,
    handling,
    data: verified.data,
    actor: verified.actor,
    handledOn: verified.effectiveOn,
  });

  let outcome: string = handling;
  const links: { conferenceId?: string } = {};
  let reason = data.reason;
  const settling: Promise<void>[] = [verifyBy.done];
  if (handling === 'PUSHED' || handling === 'TRANSFERRED') {
    const departments = handling === 'PUSHED' ? data.departments! : [data.department!];
    active.add('departmentFeedback');
    const feedback = await departmentFeedback(ctx, input, departments, verified, settling);
    active.delete('departmentFeedback');
    outcome = feedback.some((f) => f.outcome === 'ASSISTED') ? 'ASSISTED' : 'NOT_APPLICABLE';
    reason = `${data.reason} — ${feedback.map((f) => `${f.department}: ${f.feedback}`).join('; ')}`;
  } else if (handling === 'CASE_CONFERENCE') {
    active.add('caseConference');
    const decision = await conference(ctx, input, verified);
    active.delete('caseConference');
    outcome = `CONFERENCE_${decision.outcome}`;
    links.conferenceId = decision.conferenceId;
    reason = decision.notes ? `${data.reason} — ${decision.notes}` : data.reason;
  } else if (handling === 'APPLICATION_STARTED' || handling === 'RECIPIENT_CHECK') {
    // The linked case exists already (the route opened it first) and carries the handling from here.
    const step = handling === 'APPLICATION_STARTED' ? 'openApplication' : 'recipientCheck';
    active.add(step);
    await ctx.reportProgress();
    active.delete(step);
  }

  active.add('closeWarning');
  const status = handling === 'FALSE_ALARM' ? 'DISMISSED' : 'CLOSED';
  ctx.setStatus(status);
  await acts.closeWarning({ warningId: input.warningId, status, outcome, reason, closedOn: ctx.lastActOn, ...links });
  await Promise.all(settling);
  active.clear();
  await ctx.reportProgress({ decidedOn: ctx.lastActOn });
  await ctx.finish();
  return { status, outcome };
}

/** A task per department, each with its feedback deadline; the warning waits for every answer. */
async function departmentFeedback(
  ctx: Ctx,
  input: WarningInput,
  departments: Department[],
  pushed: TaskCompletion,
  settling: Promise<void>[],
): Promise<{ department: Department; outcome: string; feedback: string }[]> {
  const pushedOn = pushed.effectiveOn;
  const results: { department: Department; outcome: string; feedback: string }[] = [];
  for (const department of departments) {
    const deadline = new Deadline(ctx, { kind: 'departmentFeedback', startedOn: pushedOn });
    const taskId = await ctx.openTask('departmentFeedback', { deadline, department });
    settling.push(deadline.done);
    // Each answer lands in the chain when it comes, whatever the other departments do.
    void ctx.branch(async () => {
      const done = await ctx.waitForTask(taskId);
      deadline.meet(done.effectiveOn);
      const d = done.data as { feedback: string; assistanceKind?: string; amount?: number };
      await acts.recordWarningFeedback({
        warningId: input.warningId,
        department,
        taskId,
        outcome: done.outcome as 'ASSISTED' | 'NOT_APPLICABLE',
        feedback: d.feedback,
        ...(d.assistanceKind ? { kind: d.assistanceKind } : {}),
        ...(d.amount !== undefined ? { amount: d.amount } : {}),
        reportedOn: done.effectiveOn,
        actor: done.actor,
      });
      results.push({ department, outcome: done.outcome, feedback: d.feedback });
    });
  }
  await ctx.reportProgress();
  await ctx.waitUntil(() => results.length === departments.length);
  return results;
}

/** 一事一议 as a child: the warning waits for the decision, which becomes its outcome. */
async function conference(ctx: Ctx, input: WarningInput, verified: TaskCompletion): Promise<ConferenceDecision> {
  const data = verified.data as { reason: string; proposal?: string; departments: Department[] };
  const conferenceId = uuid4();
  const args: CaseConferenceInput = {
    conferenceId,
    caseId: input.warningId,
    regionCode: input.regionCode,
    reason: data.reason,
    ...(data.proposal ? { proposal: data.proposal } : {}),
    departments: data.departments,
    requestedBy: { sub: verified.actor.sub, role: verified.actor.role },
  };
  let result: { decision: ConferenceDecision } | { error: unknown } | undefined;
  void executeChild<typeof caseConference>(caseConferenceProcess.name, {
    workflowId: caseConferenceProcess.workflowId(conferenceId),
    args: [args],
  }).then(
    (decision) => (result = { decision }),
    (error) => (result = { error }),
  );
  await ctx.reportProgress();
  // Parked, so the verification's Update answers while the departments deliberate.
  await ctx.waitUntil(() => result !== undefined);
  if ('error' in result!) throw result.error;
  return result!.decision;
}
