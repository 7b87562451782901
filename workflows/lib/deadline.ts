// A policy time limit: a durable timer on the working-day calendar plus a deadline row the supervisors query.
// One mechanism for every workflow: start it, let it run beside the process, settle it when the act is done.
import { condition, proxyActivities, CancellationScope } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import type { DeadlineKind } from '../../domain/glossary';
import type { IsoDate, DueDate } from '../../domain/calendar';
import type { CaseContext } from './case-context';

type Activities = ReturnType<typeof createActivities>;
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

export interface DeadlineSpec {
  kind: DeadlineKind;
  startedOn: IsoDate; // "within N working days of X": X is this day, and it does not count
  workingDays: number;
  taskId?: string;
}

export class Deadline {
  readonly id: string;
  due: DueDate;
  private metOn?: IsoDate;
  private cancelled = false;
  private extension?: { days: number; reason: string };
  private changes = 0;
  overdue = false;
  readonly done: Promise<void>;

  constructor(private readonly ctx: CaseContext, readonly spec: DeadlineSpec) {
    this.id = ctx.nextDeadlineId(spec.kind);
    this.due = this.compute();
    this.done = this.run();
  }

  /** The act was done; `on` is its effective date (paper date), which decides whether it was on time. */
  meet(on: IsoDate): void { this.metOn ??= on; }
  cancel(): void { this.cancelled = true; }
  /** One extension with a recorded reason (whole case: +15 working days). */
  extend(days: number, reason: string): void { this.extension = { days, reason }; this.changes++; }
  get extended(): boolean { return this.extension !== undefined; }
  get settled(): boolean { return this.metOn !== undefined || this.cancelled; }

  private compute(): DueDate {
    const days = this.spec.workingDays + (this.extension?.days ?? 0);
    return this.ctx.calendar.calendar.addWorkingDays(this.spec.startedOn, days);
  }

  private async save(): Promise<void> {
    this.due = this.compute();
    await acts.upsertDeadline({
      deadlineId: this.id, caseId: this.ctx.caseId, kind: this.spec.kind, regionCode: this.ctx.regionCode, taskId: this.spec.taskId,
      startedOn: this.spec.startedOn, workingDays: this.spec.workingDays, extensionDays: this.extension?.days,
      extensionReason: this.extension?.reason, dueOn: this.due.due, dueAt: this.due.dueAt, provisional: this.due.provisional,
    });
  }

  private async run(): Promise<void> {
    // Settling must reach the database even if the case scope is cancelled.
    await CancellationScope.nonCancellable(async () => {
      await this.save();
      let seen = { calendar: this.ctx.calendar.version, changes: this.changes };
      while (!this.settled) {
        const changed = () => this.ctx.calendar.version !== seen.calendar || this.changes !== seen.changes;
        const wait = this.overdue ? undefined : Date.parse(this.due.dueAt) - Date.now();
        const woke = wait === undefined
          ? await condition(() => this.settled || changed()).then(() => true)
          : await condition(() => this.settled || changed(), Math.max(1, wait));
        if (changed()) {
          seen = { calendar: this.ctx.calendar.version, changes: this.changes };
          await this.save(); // a loaded year or an extension moves the due date; the timer restarts with it
          continue;
        }
        if (!woke && !this.settled) {
          this.overdue = true;
          await acts.markDeadlineOverdue({
            deadlineId: this.id, caseId: this.ctx.caseId, kind: this.spec.kind, regionCode: this.ctx.regionCode,
            dueOn: this.due.due, taskId: this.spec.taskId,
          });
        }
      }
      const now = new Date(Date.now()).toISOString();
      if (this.metOn !== undefined) await acts.settleDeadline({ deadlineId: this.id, status: 'met', at: now, metOn: this.metOn });
      else await acts.settleDeadline({ deadlineId: this.id, status: 'cancelled', at: now });
    });
  }
}
