// A recipient household over the years (docs/policy.md §4): annual recheck on each anniversary of the determination,
// periodic checks by household type, a check at once for every reported change (and on a TEKUN minor's 18th
// birthday), and termination with a written notice — TEKUN terminations publicised first, an objection reopening the
// check.
//
// One run per yearly cycle: the run opens the cycle's periodic checks and, on the anniversary, the annual recheck; once
// that is done and no check, publicity or notice is open (a quiet point), it continues as new with the state carried
// over, so a history holds one year and open tasks never straddle two runs. Step ids = recipient.bpmn.
// Behaviour changes that would alter the commands of a running history go behind patched('<id>'); the recorded
// histories in test/workflow/histories/ are replayed by test/workflow/replay.test.ts to catch the ones that slip.
import { allHandlersFinished, continueAsNew, patched, setHandler } from '@temporalio/workflow';
import { addCalendarDays, endOfDayShanghai, startOfDayShanghai, type IsoDate } from '../../domain/calendar';
import { addYears } from '../../domain/dates';
import { type AssistanceCategory, type HouseholdType } from '../../domain/glossary';
import {
  CHECK_DEADLINE_KIND,
  periodicDueDates,
  recognitionEndsOn,
  type CheckTrigger,
  type CheckType,
} from '../../domain/recipient';
import type { EngineActivities } from '../../engine/activities';
import { workingDaysOf } from '../../engine/definition';
import { fileObjectionUpdate, type Actor, type CompleteTaskRequest, type TaskCompletion } from '../../engine/messages';
import { activities } from '../../engine/workflow/activity-proxy';
import { CaseContext, reject } from '../../engine/workflow/case-context';
import { Deadline } from '../../engine/workflow/deadline';
import type { ConferenceActivities } from '../caseConference/activities';
import { conferenceDecidedSignal } from '../caseConference/messages';
import type { RecipientActivities } from './activities';
import {
  CHANGE_REPORTERS,
  recipientProcess,
  TEKUN_TERMINATION_PUBLICITY_CALENDAR_DAYS,
  type RecipientStep,
} from './definition';
import {
  recipientQuery,
  reportChangeUpdate,
  type OpenedCheck,
  type RecipientCarry,
  type RecipientInput,
} from './messages';

const acts = activities<EngineActivities & RecipientActivities & ConferenceActivities>();

/** The reason printed on the notice when a time-limited recognition was not renewed (docs/policy.md §3.4). */
const RENEWAL_LAPSED_REASON = '刚性支出困难家庭认定有效期（12个月）届满，未在规定时限内重新申请认定';

interface Trigger {
  type: CheckType;
  trigger: CheckTrigger;
  report?: Record<string, unknown>;
  actor?: Actor;
  opened?: OpenedCheck;
}

interface Scheduled {
  type: CheckType | 'minor';
  on: IsoDate;
}

export async function recipient(input: RecipientInput): Promise<{ status: string }> {
  const carried: RecipientCarry = input.carried ?? {
    cycle: 1,
    sequences: { tasks: {}, deadlines: {} },
    lastActOn: input.determinedOn,
    checkSeq: 0,
  };
  const ctx = new CaseContext(recipientProcess, input.caseId, input.regionCode, carried.lastActOn, {
    branchesCountedBeforePatch: true,
  });
  ctx.restoreSequences(carried.sequences);
  const s = {
    category: input.category,
    monthlyAmount: input.monthlyAmount,
    householdType: input.householdType,
    checkSeq: carried.checkSeq,
    terminated: false,
    openChecks: 0,
    publicities: 0,
    objections: 0,
  };
  const cycleStart = addYears(input.determinedOn, carried.cycle - 1);
  const anniversary = addYears(input.determinedOn, carried.cycle);
  let periodic = periodicDueDates(cycleStart, s.householdType);
  const minors = [...input.minorsTurning18].sort();
  let annual: 'scheduled' | 'open' | 'done' = 'scheduled';

  const active = new Map<RecipientStep, number>();
  const enter = (id: RecipientStep) => active.set(id, (active.get(id) ?? 0) + 1);
  const leave = (id: RecipientStep) => {
    const n = (active.get(id) ?? 1) - 1;
    if (n > 0) active.set(id, n);
    else active.delete(id);
  };
  ctx.activeStepsFn = () => [...active.keys()];

  const queue: Trigger[] = [];
  const running = new Set<Promise<void>>();
  const deadlines: Deadline<typeof recipientProcess>[] = [];

  ctx.listen();
  const validateCheck = (req: CompleteTaskRequest) => {
    if (req.outcome === 'CHANGE_CATEGORY' && req.data?.category === s.category) {
      reject('INVALID_COMPLETION', `the household is already ${s.category}; ADJUST changes the amount alone`);
    }
  };
  ctx.extraValidation.annualRecheck = validateCheck;
  ctx.extraValidation.periodicCheck = validateCheck;
  ctx.extraValidation.changeReport = validateCheck;

  setHandler(
    reportChangeUpdate,
    async (req) => {
      const t: Trigger = {
        type: 'changeReport',
        trigger: 'CHANGE_REPORT',
        report: req.report as Record<string, unknown>,
        actor: req.actor,
      };
      queue.push(t);
      await ctx.settle(); // the main loop opens the check, then everything rests again
      if (!t.opened) reject('WRONG_STATE', 'the recipient was terminated before the check could open');
      return t.opened;
    },
    {
      validator: (req) => {
        if (s.terminated) reject('WRONG_STATE', 'assistance has been terminated; a new application is needed');
        if (!(CHANGE_REPORTERS as readonly string[]).includes(req.actor.role))
          reject('FORBIDDEN', `a ${req.actor.role} may not report changes`);
        if (!req.report?.description?.trim()) reject('INVALID_COMPLETION', 'a change report needs a description');
      },
    },
  );
  setHandler(
    fileObjectionUpdate,
    async (req) => {
      const audited = ctx.auditObjection(req);
      s.objections++;
      await ctx.settle(); // answer once the check has reopened
      return { accepted: true as const, ...(audited ? { audited: true as const } : {}) };
    },
    {
      validator: (req) => {
        if (s.publicities === 0)
          reject('WRONG_STATE', 'objections can be filed only while a termination is publicised');
        if (!req.reason?.trim()) reject('INVALID_COMPLETION', 'an objection needs a reason');
      },
    },
  );
  // 一事一议 decisions of a conference requested for this recipient (POST /cases/:id/escalations, docs/policy.md §6.4):
  // recorded in the case; a raised amount is paid from the month after the decision. Patched: runs started before it
  // replay unchanged.
  if (patched('recipient-conference-decision')) {
    setHandler(conferenceDecidedSignal, async (d) => {
      await acts.noteConferenceDecision({ caseId: input.caseId, decision: d });
      if (d.outcome !== 'RAISE_AMOUNT' || d.raisedAmount === undefined || s.terminated) return;
      await acts.applyConferenceAmount({
        recipientId: input.recipientId,
        caseId: input.caseId,
        conferenceId: d.conferenceId,
        amount: d.raisedAmount,
        decidedOn: d.decidedOn,
        seq: s.checkSeq,
      });
      s.monthlyAmount = d.raisedAmount;
    });
  }
  setHandler(recipientQuery, () => ({
    cycle: carried.cycle,
    status: ctx.status,
    category: s.category,
    monthlyAmount: s.monthlyAmount,
    householdType: s.householdType,
    nextCheck: nextScheduled() ? { type: checkTypeOf(nextScheduled()!), on: nextScheduled()!.on } : null,
  }));

  await ctx.start();

  function nextScheduled(): Scheduled | undefined {
    const candidates: Scheduled[] = [];
    if (annual === 'scheduled') candidates.push({ type: 'annualRecheck', on: anniversary });
    if (periodic.length) candidates.push({ type: 'periodicCheck', on: periodic[0] });
    if (minors.length && minors[0] <= anniversary) candidates.push({ type: 'minor', on: minors[0] });
    return candidates.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))[0];
  }
  const checkTypeOf = (d: Scheduled): CheckType => (d.type === 'minor' ? 'changeReport' : d.type);

  function fire(d: Scheduled): void {
    if (d.type === 'annualRecheck') {
      annual = 'open';
      queue.push({ type: 'annualRecheck', trigger: 'ANNIVERSARY' });
    } else if (d.type === 'periodicCheck') {
      periodic.shift();
      queue.push({ type: 'periodicCheck', trigger: 'PERIODIC' });
    } else {
      minors.shift();
      // TEKUN minors are covered to 18, or on while in school: the birthday opens a check of which applies.
      if (s.category === 'TEKUN')
        queue.push({
          type: 'changeReport',
          trigger: 'MINOR_TURNS_18',
          report: { description: '特困供养未成年人年满18周岁，核查是否在校就读' },
        });
    }
  }

  async function runCheck(t: Trigger): Promise<void> {
    s.openChecks++;
    enter(t.type);
    let stepLeft = false;
    ctx.setStatus('IN_CHECK');
    try {
      const seq = ++s.checkSeq;
      const checkId = `${input.caseId}:check:${seq}`;
      const openedOn = ctx.today();
      const kind = CHECK_DEADLINE_KIND[t.type];
      const workingDays = workingDaysOf(recipientProcess.deadlines[kind]);
      const due = ctx.calendar.calendar.addWorkingDays(openedOn, workingDays);
      const taskId = await ctx.openTask(t.type, { dueAt: due.dueAt });
      await acts.recordRecipientCheck({
        checkId,
        recipientId: input.recipientId,
        caseId: input.caseId,
        type: t.type,
        trigger: t.trigger,
        taskId,
        openedOn,
        dueOn: due.due,
        report: t.report,
        reportedBy: t.actor,
      });
      t.opened = { checkId, taskId };
      const deadline = new Deadline(ctx, { kind, startedOn: openedOn, taskId });
      deadlines.push(deadline);
      // A RIGID_EXPENDITURE recognition lasts 12 months (docs/policy.md §3.4): its anniversary check is the renewal.
      // The household is told to re-apply; if the check is not decided within its limit, the recognition ends.
      const renewal =
        t.type === 'annualRecheck' &&
        recognitionEndsOn(s.category, cycleStart) !== undefined &&
        patched('rigid-expenditure-renewal');
      if (renewal) {
        await acts.noticeRenewalDue({
          recipientId: input.recipientId,
          caseId: input.caseId,
          regionCode: input.regionCode,
          endsOn: recognitionEndsOn(s.category, cycleStart)!,
          dueOn: due.due,
        });
      }
      await ctx.reportProgress();
      const task = ctx.tasks.get(taskId)!;
      await ctx.waitUntil(() => task.status === 'COMPLETED' || s.terminated || (renewal && deadline.overdue));
      if (task.status !== 'COMPLETED' && renewal && !s.terminated) {
        // Not renewed in time: the recognition ends, with its written notice like any termination.
        task.status = 'CANCELLED';
        await ctx.cancelTask(taskId, 'recognition not renewed within the limit: it ends');
        deadline.cancel();
        const lapsed: TaskCompletion = {
          outcome: 'TERMINATE',
          data: { reasons: [RENEWAL_LAPSED_REASON] },
          actor: { sub: 'system', role: 'admin', region: input.regionCode },
          effectiveOn: ctx.today(),
        };
        leave(t.type);
        stepLeft = true;
        await record(checkId, seq, lapsed);
        await terminate(checkId, lapsed);
        return;
      }
      if (task.status !== 'COMPLETED') {
        // Another check terminated the assistance first: this one has nothing left to decide.
        task.status = 'CANCELLED';
        deadline.cancel();
        await ctx.cancelTask(taskId, 'assistance terminated by another check');
        await acts.recordCheckOutcome({
          checkId,
          recipientId: input.recipientId,
          caseId: input.caseId,
          seq,
          outcome: 'CANCELLED',
          data: {},
          decidedOn: ctx.today(),
        });
        return;
      }
      const c = await ctx.waitForTask(taskId);
      deadline.meet(c.effectiveOn);
      leave(t.type); // decided: publicity or the notice is the step now
      stepLeft = true;
      if (c.outcome === 'TERMINATE') {
        await record(checkId, seq, c);
        if (await terminate(checkId, c)) return;
        ctx.logInfo('objection during termination publicity: check reopened', { checkId });
        queue.push({ type: t.type, trigger: 'OBJECTION' });
        return;
      }
      await record(checkId, seq, c);
      if (t.type === 'annualRecheck') annual = 'done';
    } finally {
      if (!stepLeft) leave(t.type);
      s.openChecks--;
      if (s.openChecks === 0 && !s.terminated) ctx.setStatus('ACTIVE');
    }
  }

  async function record(checkId: string, seq: number, c: TaskCompletion): Promise<void> {
    const d = c.data as { newMonthlyAmount?: number; category?: AssistanceCategory; householdType?: HouseholdType };
    const newAmount =
      c.outcome === 'ADJUST'
        ? { category: s.category, amount: d.newMonthlyAmount! }
        : c.outcome === 'CHANGE_CATEGORY'
          ? { category: d.category!, amount: d.newMonthlyAmount! }
          : undefined;
    await acts.recordCheckOutcome({
      checkId,
      recipientId: input.recipientId,
      caseId: input.caseId,
      seq,
      outcome: c.outcome as 'KEEP',
      data: c.data,
      decidedOn: c.effectiveOn,
      actor: c.actor,
      newAmount,
      householdType: d.householdType,
    });
    if (newAmount) {
      s.category = newAmount.category;
      s.monthlyAmount = newAmount.amount;
    }
    if (d.householdType && d.householdType !== s.householdType) {
      // A reclassified household's remaining periodic checks this cycle follow its new frequency.
      s.householdType = d.householdType;
      periodic = periodicDueDates(cycleStart, s.householdType).filter((on) => on > ctx.today());
    }
  }

  /** Publicity for TEKUN, then the termination and its written notice; false when an objection reopened the check. */
  async function terminate(checkId: string, c: TaskCompletion): Promise<boolean> {
    const reasons = c.data.reasons as string[];
    let terminatedOn = c.effectiveOn;
    if (s.category === 'TEKUN') {
      const before = s.objections;
      const endOn = addCalendarDays(c.effectiveOn, TEKUN_TERMINATION_PUBLICITY_CALENDAR_DAYS);
      s.publicities++;
      enter('publicity');
      await ctx.reportProgress();
      await ctx.waitUntil(() => s.objections > before || s.terminated, endOfDayShanghai(endOn).getTime() - Date.now());
      leave('publicity');
      s.publicities--;
      if (s.objections > before) return false;
      if (s.terminated) return true; // terminated meanwhile by another check
      terminatedOn = endOn;
    }
    if (s.terminated) return true;
    s.terminated = true;
    ctx.setStatus('TERMINATED');
    enter('terminate');
    try {
      await acts.terminateRecipient({
        recipientId: input.recipientId,
        caseId: input.caseId,
        checkId,
        terminatedOn,
        reasons,
        actor: c.actor,
      });
      const noticeId = `${input.caseId}:TERMINATION:1`;
      await acts.draftTerminationNotice({
        noticeId,
        recipientId: input.recipientId,
        caseId: input.caseId,
        terminatedOn,
        reasons,
      });
      const workingDays = workingDaysOf(recipientProcess.deadlines.terminationNotice);
      const due = ctx.calendar.calendar.addWorkingDays(terminatedOn, workingDays);
      const taskId = await ctx.openTask('terminate', { dueAt: due.dueAt });
      const deadline = new Deadline(ctx, { kind: 'terminationNotice', startedOn: terminatedOn, taskId });
      deadlines.push(deadline);
      await ctx.reportProgress();
      const task = ctx.tasks.get(taskId)!;
      await ctx.waitUntil(() => task.status === 'COMPLETED');
      const issued = await ctx.waitForTask(taskId);
      await acts.issueNotice({ noticeId, actor: issued.actor, issuedOn: issued.effectiveOn });
      deadline.meet(issued.effectiveOn);
    } finally {
      leave('terminate');
    }
    return true;
  }

  // The cycle: open what falls due, run checks side by side, rest until the next date or report.
  let published: string | undefined;
  for (;;) {
    while (queue.length && !s.terminated) {
      const t = queue.shift()!;
      const p = ctx.branch(() => runCheck(t));
      running.add(p);
      void p.finally(() => running.delete(p));
    }
    if (s.terminated) break;
    const next = nextScheduled();
    if (next && startOfDayShanghai(next.on).getTime() <= Date.now()) {
      fire(next);
      continue;
    }
    const quiet = () => annual === 'done' && running.size === 0 && queue.length === 0;
    if (quiet()) {
      await Promise.all(deadlines.map((d) => d.done));
      await ctx.reportProgress();
      // Let the last completion's Update answer, then hand over unless a report came in meanwhile. Nothing may be
      // awaited between this and continueAsNew: an Update accepted in between would be lost with the run.
      await ctx.waitUntil(() => queue.length > 0 || allHandlersFinished());
      if (queue.length === 0 && quiet() && allHandlersFinished()) break;
      continue;
    }
    const key = next ? `${checkTypeOf(next)}:${next.on}` : '';
    if (key !== published) {
      published = key;
      await acts.recordRecipientSchedule({
        recipientId: input.recipientId,
        next: next ? { type: checkTypeOf(next), on: next.on } : undefined,
      });
    }
    const wakeAt = next ? startOfDayShanghai(next.on).getTime() - Date.now() : undefined;
    await ctx.waitUntil(() => queue.length > 0 || s.terminated || quiet(), wakeAt);
  }

  if (s.terminated) {
    await ctx.waitUntil(() => running.size === 0); // the termination notice, and checks it cancelled
    await Promise.all(deadlines.map((d) => d.done));
    await acts.recordRecipientSchedule({ recipientId: input.recipientId });
    await ctx.reportProgress();
    await ctx.finish();
    return { status: ctx.status };
  }

  // Quiet point: nothing open, every deadline settled, every Update answered.
  return continueAsNew<typeof recipient>({
    ...input,
    category: s.category,
    monthlyAmount: s.monthlyAmount,
    householdType: s.householdType,
    minorsTurning18: minors.filter((on) => on > anniversary),
    carried: { cycle: carried.cycle + 1, sequences: ctx.sequences(), lastActOn: ctx.lastActOn, checkSeq: s.checkSeq },
  });
}
