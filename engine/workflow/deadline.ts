// A policy time limit: a durable timer on the working-day calendar plus a deadline row the supervisors query.
// One mechanism for every workflow: start it, let it run beside the process, settle it when the act is done.
import { CancellationScope, condition, patched } from '@temporalio/workflow';
import { addCalendarDays, endOfDayShanghai, shanghaiDate, type DueDate, type IsoDate } from '../../domain/calendar';
import type { EngineActivities } from '../activities';
import type { ReadModelWrite } from '../activities/transition';
import type { AnyProcess, DeadlineKindOf } from '../definition';
import type { OpenDeadline } from '../messages';
import { activities } from './activity-proxy';
import type { CaseContext, TrackedDeadline } from './case-context';

/**
 * The escalation ladder (docs/policy.md §8), one for every workflow: at the due time the assignee and the township's
 * supervisors are told (markDeadlineOverdue); if the act is still not done this many working days later, the county's
 * supervisors (escalateDeadline). The activity answers the configured number (DEADLINE_ESCALATION_WORKING_DAYS);
 * this default applies when it does not.
 */
export const DEFAULT_COUNTY_ESCALATION_WORKING_DAYS = 2;

const acts = activities<EngineActivities>();

export interface DeadlineSpec<K extends string = string> {
  kind: K;
  startedOn: IsoDate; // "within N working days of X": X is this day, and it does not count
  /** Overrides the definition's limit (a policy parameter, a conference's own opinion period). */
  workingDays?: number;
  /** For limits the policy states in days, not working days (docs/policy.md §5): counted instead of workingDays. */
  calendarDays?: number;
  /** The task this deadline times; its due time follows the deadline's (data/deadlines.ts). */
  taskId?: string;
}

interface ResolvedSpec {
  kind: string;
  startedOn: IsoDate;
  workingDays: number;
  calendarDays?: number;
  taskId?: string;
}

export class Deadline<D extends AnyProcess = AnyProcess> implements TrackedDeadline {
  readonly id: string;
  due: DueDate;
  private metOn?: IsoDate;
  private cancelled = false;
  private extension?: { days: number; reason: string };
  private changes = 0;
  overdue = false;
  /** Set once the ladder is in use for this deadline (patched: running cases that went overdue before keep waiting). */
  private ladder?: { countyAfterWorkingDays: number; level: number; toldOn?: IsoDate };
  private closed = false;
  /** Activities of this deadline in flight, or its first row not saved yet. */
  private inFlight = 1;
  /** Waiting for a queued write of the case (CaseContext.batched): work of the case, not of this deadline. */
  private awaitingWrite = false;
  readonly spec: ResolvedSpec;
  readonly done: Promise<void>;

  constructor(
    private readonly ctx: CaseContext<D>,
    spec: DeadlineSpec<DeadlineKindOf<D>>,
  ) {
    const limit = ctx.definition.deadlines[spec.kind];
    this.spec = {
      ...spec,
      workingDays: spec.workingDays ?? limit.workingDays ?? 0,
      calendarDays: spec.calendarDays ?? limit.calendarDays,
    };
    this.id = ctx.nextDeadlineId(spec.kind);
    this.due = this.compute();
    ctx.deadlines.push(this);
    this.done = this.run();
  }

  get writing(): boolean {
    return this.inFlight > 0 || (this.settled && !this.closed);
  }

  get busy(): boolean {
    return !this.awaitingWrite && this.writing;
  }

  get closing(): boolean {
    return this.settled && !this.closed;
  }

  /** A write through the case's queue (the batched path only: the extra async layer is new histories' own). */
  private async written(w: ReadModelWrite): Promise<boolean> {
    this.awaitingWrite = true;
    try {
      return await this.ctx.write(w);
    } finally {
      this.awaitingWrite = false;
    }
  }

  /** The deadline as this workflow holds it, until its settlement reached the database. */
  open(): OpenDeadline | undefined {
    if (this.closed) return undefined;
    return {
      id: this.id,
      kind: this.spec.kind,
      status: this.overdue ? 'overdue' : 'pending',
      dueOn: this.due.due,
      dueAt: this.due.dueAt,
    };
  }

  get escalationLevel(): number {
    return this.ladder?.level ?? (this.overdue ? 1 : 0);
  }

  /** When the timer must next wake: the due time, then the county step of the ladder, then never. */
  private nextWakeAt(): number | undefined {
    if (!this.overdue) return Date.parse(this.due.dueAt);
    if (this.ladder && this.ladder.level < 2) {
      // The county step counts from the day the township was told, when that is after the due date (a back-dated
      // case whose deadline had passed before it was entered): the township gets its working days to enter acts
      // done on time on paper before the county hears of them (docs/policy.md §8.4).
      const toldOn = this.ladder.toldOn;
      const from = toldOn && toldOn > this.due.due ? toldOn : this.due.due;
      return Date.parse(this.ctx.calendar.calendar.addWorkingDays(from, this.ladder.countyAfterWorkingDays).dueAt);
    }
    return undefined;
  }

  /** The act was done; `on` is its effective date (paper date), which decides whether it was on time. */
  meet(on: IsoDate): void {
    this.metOn ??= on;
  }
  cancel(): void {
    this.cancelled = true;
  }
  /** One extension with a recorded reason (whole case: +15 working days). */
  extend(days: number, reason: string): void {
    this.extension = { days, reason };
    this.changes++;
  }
  get extended(): boolean {
    return this.extension !== undefined;
  }
  get settled(): boolean {
    return this.metOn !== undefined || this.cancelled;
  }

  private compute(): DueDate {
    if (this.spec.calendarDays !== undefined) {
      const due = addCalendarDays(this.spec.startedOn, this.spec.calendarDays + (this.extension?.days ?? 0));
      return { due, dueAt: endOfDayShanghai(due).toISOString(), provisional: false };
    }
    const days = this.spec.workingDays + (this.extension?.days ?? 0);
    return this.ctx.calendar.calendar.addWorkingDays(this.spec.startedOn, days);
  }

  private async save(): Promise<void> {
    for (;;) {
      this.due = this.compute();
      // inFlight is counted inline, not by a wrapper: an extra async layer would reorder this deadline's commands
      // against the process's in the same activation, and recorded histories would no longer replay.
      this.inFlight++;
      let answer: Awaited<ReturnType<typeof acts.upsertDeadline>> | undefined;
      try {
        const row = {
          deadlineId: this.id,
          caseId: this.ctx.caseId,
          kind: this.spec.kind,
          regionCode: this.ctx.regionCode,
          taskId: this.spec.taskId,
          startedOn: this.spec.startedOn,
          workingDays: this.spec.workingDays,
          calendarDays: this.spec.calendarDays,
          extensionDays: this.extension?.days,
          extensionReason: this.extension?.reason,
          dueOn: this.due.due,
          dueAt: this.due.dueAt,
          provisional: this.due.provisional,
          calendarFingerprint: this.ctx.calendar.fingerprint,
        };
        answer = this.ctx.batched
          ? { stale: await this.written({ upsertDeadline: row }) }
          : await acts.upsertDeadline(row);
      } finally {
        this.inFlight--;
      }
      // Histories recorded before the answer existed hold none (void): they never reload here.
      if (!(answer?.stale && patched('calendar-refresh-on-stale'))) return;
      // The stored calendar changed since this workflow loaded it (a year loaded by an admin): nothing was written;
      // every deadline computed from now on uses the new calendar, and the case's other deadlines recompute (their
      // loops see the version change).
      this.inFlight++;
      try {
        await this.ctx.calendar.refresh();
      } finally {
        this.inFlight--;
      }
    }
  }

  private async run(): Promise<void> {
    // Settling must reach the database even if the case scope is cancelled.
    await CancellationScope.nonCancellable(async () => {
      await this.save();
      this.inFlight--; // the first row is saved
      let seen = { calendar: this.ctx.calendar.version, changes: this.changes };
      while (!this.settled) {
        const changed = () => this.ctx.calendar.version !== seen.calendar || this.changes !== seen.changes;
        const wakeAt = this.nextWakeAt();
        const wait = wakeAt === undefined ? undefined : wakeAt - Date.now();
        // A due time already past (back-dated acts) needs no timer: a 1 ms timer cancelled by an Update at the same
        // moment
        // is exactly what wedges the time-skipping test server, and it costs two history events for nothing.
        const pastDue = wait !== undefined && wait <= 0 && patched('deadline-past-due-without-timer');
        const woke = pastDue
          ? this.settled || changed()
          : wait === undefined
            ? await condition(() => this.settled || changed()).then(() => true)
            : await condition(() => this.settled || changed(), Math.max(1, wait));
        if (changed()) {
          seen = { calendar: this.ctx.calendar.version, changes: this.changes };
          await this.save(); // a loaded year or an extension moves the due date; the timer restarts with it
          continue;
        }
        if (!woke && !this.settled) {
          const step = {
            deadlineId: this.id,
            caseId: this.ctx.caseId,
            kind: this.spec.kind,
            regionCode: this.ctx.regionCode,
            dueOn: this.due.due,
            taskId: this.spec.taskId,
          };
          if (!this.overdue) {
            this.overdue = true;
            this.inFlight++;
            let answer: Awaited<ReturnType<typeof acts.markDeadlineOverdue>>;
            try {
              answer = await acts.markDeadlineOverdue(step);
            } finally {
              this.inFlight--;
            }
            if (patched('deadline-escalation-ladder')) {
              this.ladder = {
                countyAfterWorkingDays: answer?.countyAfterWorkingDays ?? DEFAULT_COUNTY_ESCALATION_WORKING_DAYS,
                level: 1,
              };
              // Past due before any timer could run (entered after the fact): the township hears of it only now.
              if (pastDue && patched('county-step-after-township-alert')) this.ladder.toldOn = shanghaiDate(Date.now());
            }
          } else if (this.ladder && this.ladder.level < 2) {
            this.inFlight++;
            try {
              await acts.escalateDeadline({ ...step, level: 2 });
            } finally {
              this.inFlight--;
            }
            this.ladder.level = 2;
          }
        }
      }
      const now = new Date(Date.now()).toISOString();
      const settlement =
        this.metOn !== undefined
          ? { deadlineId: this.id, status: 'met' as const, at: now, metOn: this.metOn }
          : { deadlineId: this.id, status: 'cancelled' as const, at: now };
      if (this.ctx.batched) await this.written({ settleDeadline: settlement });
      else await acts.settleDeadline(settlement);
      this.closed = true;
    });
  }
}
