// A recipient household over the years (RULES.md §4): annual recheck on each anniversary of the determination, periodic
// checks by household type, a check at once for every reported change (and on a TEKUN minor's 18th birthday), and
// termination with a written notice — TEKUN terminations publicised first, an objection reopening the check.
//
// One run per yearly cycle: the run opens the cycle's periodic checks and, on the anniversary, the annual recheck; once
// that is done and no check, publicity or notice is open (a quiet point), it continues as new with the state carried
// over, so a history holds one year and open tasks never straddle two runs. Step ids = bpmn/recipient.bpmn.
// Behaviour changes that would alter the commands of a running history go behind patched('<id>'); the recorded
// histories in test/workflow/histories/ are replayed by test/workflow/replay.test.ts to catch the ones that slip.
import {
  allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, proxyActivities, setHandler, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { Actor } from '../activities/contracts';
import type { RecipientStart } from '../activities/recipients';
import { addCalendarDays, endOfDayShanghai, startOfDayShanghai, type IsoDate } from '../domain/calendar';
import type { AssistanceCategory, HouseholdType } from '../domain/glossary';
import {
  addYears, CHECK_DEADLINE_KIND, periodicDueDates, RECIPIENT_LIMITS, type CheckTrigger, type CheckType,
} from '../domain/recipient';
import type { ChangeReport } from '../domain/tasks-recipient';
import { fileObjectionUpdate } from './application';
import type { RecipientReportableStep } from './recipient-steps';
import { CaseContext, CaseSequences, CompleteTaskRequest, reject, TaskCompletion } from './lib/case-context';
import { Deadline } from './lib/deadline';
import { CASE_STATUS_KEY, PROCESS_KEY, REGION_KEY } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

export interface RecipientInput extends RecipientStart {
  /** State carried over continue-as-new; absent on the first run. */
  carried?: RecipientCarry;
}

export interface RecipientCarry {
  /** 1 = the first year after the determination. */
  cycle: number;
  sequences: CaseSequences;
  lastActOn: IsoDate;
  checkSeq: number;
}

export interface ChangeReportRequest { report: ChangeReport; actor: Actor }
export interface OpenedCheck { checkId: string; taskId: string }
export interface RecipientView {
  cycle: number; status: string; category: AssistanceCategory; monthlyAmount: number; householdType: HouseholdType;
  nextCheck: { type: CheckType; on: IsoDate } | null;
}

/** Roles that may report a change in the household (RULES.md §4; GLOSSARY roles). */
export const CHANGE_REPORTERS = ['caseworker', 'village_assistant', 'integrator', 'admin'] as const;

export const reportChangeUpdate = defineUpdate<OpenedCheck, [ChangeReportRequest]>('reportChange');
export const recipientQuery = defineQuery<RecipientView>('recipient');

interface Trigger {
  type: CheckType;
  trigger: CheckTrigger;
  report?: Record<string, unknown>;
  actor?: Actor;
  opened?: OpenedCheck;
}

interface Scheduled { type: CheckType | 'minor'; on: IsoDate }

export async function recipient(input: RecipientInput): Promise<{ status: string }> {
  const carried: RecipientCarry = input.carried ?? { cycle: 1, sequences: { tasks: {}, deadlines: {} }, lastActOn: input.determinedOn, checkSeq: 0 };
  const ctx = new CaseContext(input.caseId, input.regionCode, 'ACTIVE', carried.lastActOn);
  ctx.restoreSequences(carried.sequences);
  const s = {
    category: input.category, monthlyAmount: input.monthlyAmount, householdType: input.householdType, checkSeq: carried.checkSeq,
    terminated: false, openChecks: 0, publicities: 0, objections: 0,
  };
  const cycleStart = addYears(input.determinedOn, carried.cycle - 1);
  const anniversary = addYears(input.determinedOn, carried.cycle);
  let periodic = periodicDueDates(cycleStart, s.householdType);
  const minors = [...input.minorsTurning18].sort();
  let annual: 'scheduled' | 'open' | 'done' = 'scheduled';

  const active = new Map<RecipientReportableStep, number>();
  const enter = (id: RecipientReportableStep) => active.set(id, (active.get(id) ?? 0) + 1);
  const leave = (id: RecipientReportableStep) => { const n = (active.get(id) ?? 1) - 1; if (n > 0) active.set(id, n); else active.delete(id); };
  ctx.activeStepsFn = () => [...active.keys()];
  const setStatus = (st: typeof ctx.status) => {
    if (ctx.status === st) return;
    ctx.status = st;
    upsertSearchAttributes([{ key: CASE_STATUS_KEY, value: st }]);
  };

  const queue: Trigger[] = [];
  const running = new Set<Promise<void>>();
  const deadlines: Deadline[] = [];
  // Every branch (the main loop, each check) counts as busy except while parked, so Updates answer once all rest.
  ctx.busy++;
  const rest = async (fn: () => boolean, timeoutMs?: number): Promise<boolean> => {
    ctx.busy--;
    try { return await ctx.park(fn, timeoutMs); } finally { ctx.busy++; }
  };

  ctx.listen();
  upsertSearchAttributes([{ key: REGION_KEY, value: input.regionCode }, { key: PROCESS_KEY, value: 'recipient' }, { key: CASE_STATUS_KEY, value: 'ACTIVE' }]);
  const checkRules = (req: CompleteTaskRequest) => {
    if (req.outcome === 'CHANGE_CATEGORY' && req.data?.category === s.category) {
      reject('INVALID_COMPLETION', `the household is already ${s.category}; ADJUST changes the amount alone`);
    }
  };
  ctx.extraValidation.annualRecheck = checkRules;
  ctx.extraValidation.periodicCheck = checkRules;
  ctx.extraValidation.changeReport = checkRules;

  setHandler(reportChangeUpdate, async (req) => {
    const t: Trigger = { type: 'changeReport', trigger: 'CHANGE_REPORT', report: req.report as Record<string, unknown>, actor: req.actor };
    queue.push(t);
    await condition(() => t.opened !== undefined || s.terminated);
    await ctx.settle();
    if (!t.opened) reject('WRONG_STATE', 'the recipient was terminated before the check could open');
    return t.opened;
  }, {
    validator: (req) => {
      if (s.terminated) reject('WRONG_STATE', 'assistance has been terminated; a new application is needed');
      if (!(CHANGE_REPORTERS as readonly string[]).includes(req.actor.role)) reject('FORBIDDEN', `a ${req.actor.role} may not report changes`);
      if (!req.report?.description?.trim()) reject('INVALID_COMPLETION', 'a change report needs a description');
    },
  });
  setHandler(fileObjectionUpdate, async () => {
    s.objections++;
    await ctx.settle(); // answer once the check has reopened
    return { accepted: true as const };
  }, {
    validator: (req) => {
      if (s.publicities === 0) reject('WRONG_STATE', 'objections can be filed only while a termination is publicised');
      if (!req.reason?.trim()) reject('INVALID_COMPLETION', 'an objection needs a reason');
    },
  });
  setHandler(recipientQuery, () => ({
    cycle: carried.cycle, status: ctx.status, category: s.category, monthlyAmount: s.monthlyAmount, householdType: s.householdType,
    nextCheck: nextScheduled() ? { type: checkTypeOf(nextScheduled()!), on: nextScheduled()!.on } : null,
  }));

  await ctx.calendar.load();

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
      if (s.category === 'TEKUN') queue.push({ type: 'changeReport', trigger: 'MINOR_TURNS_18', report: { description: '特困供养未成年人年满18周岁，核查是否在校就读' } });
    }
  }

  async function runCheck(t: Trigger): Promise<void> {
    ctx.busy++;
    s.openChecks++;
    enter(t.type);
    let stepLeft = false;
    setStatus('IN_CHECK');
    try {
      const seq = ++s.checkSeq;
      const checkId = `${input.caseId}:check:${seq}`;
      const openedOn = ctx.today();
      const kind = CHECK_DEADLINE_KIND[t.type];
      const workingDays = RECIPIENT_LIMITS[kind];
      const due = ctx.calendar.calendar.addWorkingDays(openedOn, workingDays);
      const taskId = await ctx.openTask(t.type, due.dueAt);
      await acts.recordRecipientCheck({
        checkId, recipientId: input.recipientId, caseId: input.caseId, type: t.type, trigger: t.trigger, taskId, openedOn, dueOn: due.due,
        report: t.report, reportedBy: t.actor,
      });
      t.opened = { checkId, taskId };
      const deadline = new Deadline(ctx, { kind, startedOn: openedOn, workingDays, taskId });
      deadlines.push(deadline);
      await ctx.reportProgress();
      const task = ctx.tasks.get(taskId)!;
      await rest(() => task.status === 'COMPLETED' || s.terminated);
      if (task.status !== 'COMPLETED') {
        // Another check terminated the assistance first: this one has nothing left to decide.
        task.status = 'CANCELLED';
        deadline.cancel();
        await acts.closeTask({ taskId, status: 'CANCELLED', comment: 'assistance terminated by another check', closedAt: new Date(Date.now()).toISOString() });
        await acts.recordCheckOutcome({ checkId, recipientId: input.recipientId, caseId: input.caseId, seq, outcome: 'CANCELLED', data: {}, decidedOn: ctx.today() });
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
      if (s.openChecks === 0 && !s.terminated) setStatus('ACTIVE');
      ctx.busy--;
    }
  }

  async function record(checkId: string, seq: number, c: TaskCompletion): Promise<void> {
    const d = c.data as { newMonthlyAmount?: number; category?: AssistanceCategory; householdType?: HouseholdType };
    const newAmount = c.outcome === 'ADJUST' ? { category: s.category, amount: d.newMonthlyAmount! }
      : c.outcome === 'CHANGE_CATEGORY' ? { category: d.category!, amount: d.newMonthlyAmount! } : undefined;
    await acts.recordCheckOutcome({
      checkId, recipientId: input.recipientId, caseId: input.caseId, seq, outcome: c.outcome as 'KEEP', data: c.data, decidedOn: c.effectiveOn,
      actor: c.actor, newAmount, householdType: d.householdType,
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
      const endOn = addCalendarDays(c.effectiveOn, RECIPIENT_LIMITS.tekunPublicityCalendarDays);
      s.publicities++;
      enter('publicity');
      await ctx.reportProgress();
      await rest(() => s.objections > before || s.terminated, endOfDayShanghai(endOn).getTime() - Date.now());
      leave('publicity');
      s.publicities--;
      if (s.objections > before) return false;
      if (s.terminated) return true; // terminated meanwhile by another check
      terminatedOn = endOn;
    }
    if (s.terminated) return true;
    s.terminated = true;
    setStatus('TERMINATED');
    enter('terminate');
    try {
      await acts.terminateRecipient({ recipientId: input.recipientId, caseId: input.caseId, checkId, terminatedOn, reasons, actor: c.actor });
      const noticeId = `${input.caseId}:TERMINATION:1`;
      await acts.draftTerminationNotice({ noticeId, recipientId: input.recipientId, caseId: input.caseId, terminatedOn, reasons });
      const workingDays = RECIPIENT_LIMITS.terminationNotice;
      const due = ctx.calendar.calendar.addWorkingDays(terminatedOn, workingDays);
      const taskId = await ctx.openTask('terminate', due.dueAt);
      const deadline = new Deadline(ctx, { kind: 'terminationNotice', startedOn: terminatedOn, workingDays, taskId });
      deadlines.push(deadline);
      await ctx.reportProgress();
      const task = ctx.tasks.get(taskId)!;
      await rest(() => task.status === 'COMPLETED');
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
      const p = runCheck(queue.shift()!);
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
      await rest(() => queue.length > 0 || allHandlersFinished());
      if (queue.length === 0 && quiet() && allHandlersFinished()) break;
      continue;
    }
    const key = next ? `${checkTypeOf(next)}:${next.on}` : '';
    if (key !== published) {
      published = key;
      await acts.recordRecipientSchedule({ recipientId: input.recipientId, next: next ? { type: checkTypeOf(next), on: next.on } : undefined });
    }
    await rest(() => queue.length > 0 || s.terminated || quiet(), next ? startOfDayShanghai(next.on).getTime() - Date.now() : undefined);
  }

  if (s.terminated) {
    await rest(() => running.size === 0); // the termination notice, and checks it cancelled
    await Promise.all(deadlines.map((d) => d.done));
    await acts.recordRecipientSchedule({ recipientId: input.recipientId });
    await ctx.reportProgress();
    ctx.busy--;
    await ctx.finish();
    return { status: ctx.status };
  }

  // Quiet point: nothing open, every deadline settled, every Update answered.
  return continueAsNew<typeof recipient>({
    ...input,
    category: s.category, monthlyAmount: s.monthlyAmount, householdType: s.householdType,
    minorsTurning18: minors.filter((on) => on > anniversary),
    carried: { cycle: carried.cycle + 1, sequences: ctx.sequences(), lastActOn: ctx.lastActOn, checkSeq: s.checkSeq },
  });
}
