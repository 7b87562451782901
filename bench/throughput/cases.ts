// One case, driven end to end, twice over: Doudi through its HTTP API, and the bare workflow through the Temporal
// client. Both return the time of every call, so the two sides of bench/throughput.ts are measured the same way.
import { Client } from '@temporalio/client';
import { signToken } from '../../api/http/auth';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import type { Role } from '../../domain/glossary';
import { idNumber } from '../../test/support/fixtures';
import { bareStepUpdate, type bareCase } from '../bare/workflows';
import { msSince } from '../lib/stats';
import type { Target } from '../lib/local-stack';

export interface CaseRun {
  workflowId: string;
  startMs: number;
  completionMs: number[];
  totalMs: number;
  /** Completions answered 404 at first because the task's row was not written yet (see DoudiCases.complete). */
  earlyCompletions: number;
}

/**
 * The five completions to an approval, as in the README walk-through: back-dated acts (`data.effectiveOn`) put the
 * end of the 7-day publicity in the past, so `confirm` opens at once after `firstReview`.
 */
export const STEPS: { type: string; role: Role; outcome: string; daysAgo?: number; data?: Record<string, unknown> }[] =
  [
    { type: 'accept', role: 'caseworker', outcome: 'ACCEPTED', daysAgo: 11 },
    { type: 'homeVisit', role: 'caseworker', outcome: 'DONE', daysAgo: 10 },
    { type: 'economicCheck', role: 'caseworker', outcome: 'DONE', daysAgo: 10 },
    { type: 'firstReview', role: 'reviewer', outcome: 'RECOMMEND_APPROVAL', daysAgo: 9 },
    // The township confirms by default (confirmingLevel TOWNSHIP, docs/policy.md §2.1).
    { type: 'confirm', role: 'reviewer', outcome: 'APPROVED', data: { category: 'DIBAO', monthlyAmount: 220 } },
  ];
export const COMPLETIONS_PER_CASE = STEPS.length;

const TOWNSHIP = '410721100';

export class DoudiCases {
  private readonly tokens: Record<string, string>;
  constructor(private readonly target: Target) {
    const region = (role: Role) => (role === 'county_officer' ? '410721' : TOWNSHIP);
    this.tokens = Object.fromEntries(
      (['caseworker', 'reviewer', 'county_officer'] as Role[]).map((role) => [
        role,
        signToken(target.jwtSecret, { sub: `bench-${role}`, role, region: region(role) }),
      ]),
    );
  }

  async run(): Promise<CaseRun> {
    const today = shanghaiDate(Date.now());
    const ago = (n: number) => addCalendarDays(today, -n);
    const t0 = process.hrtime.bigint();
    // A synthetic one-person household (valid check character, no real person), assessed DIBAO 220 yuan.
    const { caseId } = (await this.post(
      '/api/v1/applications',
      'caseworker',
      {
        regionCode: TOWNSHIP,
        source: 'SELF_DECLARED',
        receivedOn: ago(12),
        people: [{ memberId: 'm1', name: '测试', idNumber: idNumber('1975-06-15', 'F') }],
        household: {
          residence: 'RURAL',
          members: [
            {
              memberId: 'm1',
              relation: 'APPLICANT',
              birthDate: '1975-06-15',
              laborCapacity: 'PARTIAL',
              seriousIllness: false,
              studentLevel: 'NONE',
              employed: false,
            },
          ],
          incomes: [{ memberId: 'm1', kind: 'WAGES', monthlyAmount: 200 }],
          assets: { deposits: 1000, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
          rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0 },
          legalSupporters: [],
        },
      },
      201,
    )) as { caseId: string };
    const startMs = msSince(t0);
    const completionMs: number[] = [];
    let earlyCompletions = 0;
    for (const s of STEPS) {
      const t = process.hrtime.bigint();
      const data = { ...s.data, ...(s.daysAgo !== undefined ? { effectiveOn: ago(s.daysAgo) } : {}) };
      if (await this.complete(`${caseId}:${s.type}:1`, s.role, { outcome: s.outcome, data })) earlyCompletions++;
      completionMs.push(msSince(t));
    }
    return { workflowId: `application-${caseId}`, startMs, completionMs, totalMs: msSince(t0), earlyCompletions };
  }

  /**
   * Task ids are deterministic (<caseId>:<type>:<n>): no inbox call, no claim — the completion alone is measured.
   * The answer to `accept` can come before the row of one of the two investigation tasks exists: the application
   * workflow settles as soon as one of its parallel branches parks, while the other's openTask activity may still run.
   * A client then gets 404 for a task the case just announced; the bench, like a client, tries again (every 20 ms),
   * counts it, and the latency includes the wait. Returns whether that happened.
   */
  private async complete(taskId: string, role: string, body: unknown): Promise<boolean> {
    const path = `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`;
    for (let attempt = 0; ; attempt++) {
      const res = await this.request(path, role, body);
      if (res.status === 200) return attempt > 0;
      if (res.status !== 404 || attempt >= 250)
        throw new Error(`POST ${path} answered ${res.status}: ${res.text.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async post(path: string, role: string, body: unknown, expected: number): Promise<unknown> {
    const res = await this.request(path, role, body);
    if (res.status !== expected) throw new Error(`POST ${path} answered ${res.status}: ${res.text.slice(0, 500)}`);
    return JSON.parse(res.text);
  }

  private async request(path: string, role: string, body: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.target.apiBase}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.tokens[role]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }
}

export class BareCases {
  private seq = 0;
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly runTag: string,
  ) {}

  async run(): Promise<CaseRun> {
    const workflowId = `bare-${this.runTag}-${++this.seq}`;
    const t0 = process.hrtime.bigint();
    const handle = await this.client.workflow.start<typeof bareCase>('bareCase', {
      taskQueue: this.taskQueue,
      workflowId,
      args: [workflowId],
    });
    const startMs = msSince(t0);
    const completionMs: number[] = [];
    for (const [i, s] of STEPS.entries()) {
      const t = process.hrtime.bigint();
      await handle.executeUpdate(bareStepUpdate, { args: [{ step: s.type, n: i + 1 }] });
      completionMs.push(msSince(t));
    }
    return { workflowId, startMs, completionMs, totalMs: msSince(t0), earlyCompletions: 0 };
  }
}
