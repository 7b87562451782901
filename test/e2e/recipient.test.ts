// Recipients and the monthly roster through real HTTP, a real Temporal dev server and a real PostgreSQL: an approval
// starts the recipient workflow; change reports adjust or terminate; the roster of a month, run twice, has exactly one
// line per recipient in payment, with the amount in force; exports in JSON, CSV and PDF; the Schedule exists and runs.
import { Client } from '@temporalio/client';
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { monthAfter } from '../../domain/dates';
import { ensureRosterSchedule } from '../../scripts/schedules';

jest.setTimeout(120_000);

let stack: Stack;
let caseworker: string;
let reviewer: string;
let officer: string;
let assistant: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker');
  reviewer = stack.token('reviewer');
  officer = stack.token('county_officer', '410721');
  assistant = stack.token('village_assistant', '410721100');
});
afterAll(async () => {
  await stack?.stop();
});

const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);
const thisMonth = today.slice(0, 7);
const nextMonth = monthAfter(today);

async function openTask(caseId: string, type: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const r = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, { token: officer });
    if (r.body.items?.length) return r.body.items[0].id;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no open ${type} task for ${caseId}`);
}

async function complete(
  caseId: string,
  type: string,
  token: string,
  outcome: string,
  data: Record<string, unknown> = {},
) {
  const taskId = await openTask(caseId, type);
  const r = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, {
    token,
    body: { outcome, data },
  });
  expect(r.status).toBe(200);
  return r.body;
}

/** An application approved 40 days ago (paper dates), so its payments start this month at the latest. */
async function approvedRecipient(): Promise<{ caseId: string; recipientId: string }> {
  const submitted = await stack.call('POST', '/api/v1/applications', {
    token: caseworker,
    body: singlePersonApplication({ receivedOn: daysAgo(70) }),
  });
  const caseId = submitted.body.caseId;
  await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(68) });
  await complete(caseId, 'homeVisit', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await complete(caseId, 'economicCheck', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await complete(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL', { effectiveOn: daysAgo(60) });
  await complete(caseId, 'confirm', reviewer, 'APPROVED', {
    category: 'DIBAO',
    monthlyAmount: 220,
    effectiveOn: daysAgo(40),
  });
  for (let i = 0; i < 100; i++) {
    const r = await stack.db('recipients').where({ case_id: caseId }).first('id', 'next_check_on');
    if (r?.next_check_on) return { caseId, recipientId: r.id };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`recipient of ${caseId} did not start`);
}

async function rosterRun(month: string) {
  const r = await stack.call('POST', '/api/v1/payments/roster-runs', { token: officer, body: { month } });
  expect(r.status).toBe(200);
  return r.body;
}

async function linesOf(month: string, recipientIds: string[]) {
  return stack
    .db('payments')
    .where({ kind: 'MONTHLY', month })
    .whereIn('recipient_id', recipientIds)
    .select('id', 'recipient_id', 'amount', 'category');
}

describe('recipients over time and the monthly roster', () => {
  let adjusted: { caseId: string; recipientId: string };
  let terminated: { caseId: string; recipientId: string };
  let unchanged: { caseId: string; recipientId: string };

  beforeAll(async () => {
    [adjusted, terminated, unchanged] = [
      await approvedRecipient(),
      await approvedRecipient(),
      await approvedRecipient(),
    ];
  });

  it('enrolment starts the recipient process: its case, workflow, amount history and next check', async () => {
    const { recipientId, caseId } = unchanged;
    const c = await stack.db('cases').where({ id: recipientId }).first();
    expect(c).toMatchObject({
      process: 'recipient',
      workflow_id: `recipient-${recipientId}`,
      status: 'ACTIVE',
      region_code: '410721100',
    });
    expect((await stack.client.workflow.getHandle(`recipient-${recipientId}`).describe()).status.name).toBe('RUNNING');
    const detail = await stack.call('GET', `/api/v1/recipients/${recipientId}`, { token: caseworker });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: recipientId,
      caseId: recipientId,
      applicationCaseId: caseId,
      status: 'ACTIVE',
      category: 'DIBAO',
      monthlyAmount: 220,
      householdType: 'UNSTABLE',
      startMonth: monthAfter(daysAgo(40)),
      currentAmount: { month: thisMonth, paid: true, amount: 220 },
      headName: '王秀英',
      amounts: [{ fromMonth: monthAfter(daysAgo(40)), category: 'DIBAO', amount: 220 }],
      checks: [],
      // UNSTABLE (a working-age member able to work): the first check is the half-yearly one.
      nextDueCheck: { type: 'periodicCheck', status: 'SCHEDULED' },
    });
    const list = await stack.call('GET', '/api/v1/recipients?status=ACTIVE&limit=500', { token: caseworker });
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(recipientId);
    const elsewhere = await stack.call('GET', `/api/v1/recipients/${recipientId}`, {
      token: stack.token('caseworker', '410721101'),
    });
    expect(elsewhere.status).toBe(404);
  });

  it('a change report opens a check at once; ADJUST applies from next month', async () => {
    const { recipientId, caseId } = adjusted;
    const denied = await stack.call('POST', `/api/v1/cases/${recipientId}/change-reports`, {
      token: reviewer,
      body: { description: 'x' },
    });
    expect(denied.status).toBe(403);
    const bad = await stack.call('POST', `/api/v1/cases/${recipientId}/change-reports`, { token: assistant, body: {} });
    expect(bad.status).toBe(400);
    // Reported against the application case id: routed to the recipient's own case.
    const reported = await stack.call('POST', `/api/v1/cases/${caseId}/change-reports`, {
      token: assistant,
      body: { description: '家庭成员外出务工，收入增加' },
    });
    expect(reported.status).toBe(201);
    expect(reported.body).toEqual({
      caseId: recipientId,
      checkId: `${recipientId}:check:1`,
      taskId: `${recipientId}:changeReport:1`,
    });
    const inbox = await stack.call('GET', `/api/v1/tasks?caseId=${recipientId}`, { token: caseworker });
    expect(inbox.body.items.map((t: { id: string }) => t.id)).toEqual([`${recipientId}:changeReport:1`]);
    const deadlines = await stack.call('GET', `/api/v1/deadlines?caseId=${recipientId}&kind=changeCheck`, {
      token: caseworker,
    });
    expect(deadlines.body.items).toEqual([expect.objectContaining({ status: 'pending', workingDays: 10 })]);

    const invalid = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(reported.body.taskId)}/complete`, {
      token: caseworker,
      body: { outcome: 'ADJUST', data: {} },
    });
    expect(invalid.status).toBe(422);
    const snap = await complete(recipientId, 'changeReport', caseworker, 'ADJUST', {
      newMonthlyAmount: 180,
      reason: '务工收入增加',
    });
    expect(snap).toMatchObject({ status: 'ACTIVE', openTasks: [] });
    const detail = await stack.call('GET', `/api/v1/recipients/${recipientId}`, { token: caseworker });
    expect(detail.body).toMatchObject({
      monthlyAmount: 180,
      currentAmount: { month: thisMonth, amount: 220 },
      amounts: [{ amount: 220 }, { fromMonth: nextMonth, amount: 180, source: `${recipientId}:check:1` }],
      checks: [
        {
          type: 'changeReport',
          trigger: 'CHANGE_REPORT',
          outcome: 'ADJUST',
          report: { description: '家庭成员外出务工，收入增加' },
        },
      ],
    });
    expect((await stack.db('deadlines').where({ case_id: recipientId, kind: 'changeCheck' }).first()).status).toBe(
      'met',
    );
  });

  it('TERMINATE: payments stop from next month, the written notice goes out through the outbox', async () => {
    const { recipientId } = terminated;
    await stack.call('POST', `/api/v1/cases/${recipientId}/change-reports`, {
      token: stack.token('integrator', '410721'),
      body: { description: '人社数据：已稳定就业', externalRef: 'HR-1' },
    });
    const snap = await complete(recipientId, 'changeReport', caseworker, 'TERMINATE', {
      reasons: ['家庭人均收入已高于当地低保标准'],
    });
    expect(snap).toMatchObject({
      status: 'TERMINATED',
      activeSteps: ['terminate'],
      openTasks: [{ type: 'terminate' }],
    });
    expect(
      await stack.db('recipients').where({ id: recipientId }).first('status', 'stop_month', 'terminated_on'),
    ).toEqual({ status: 'TERMINATED', stop_month: nextMonth, terminated_on: today });
    const notice = await stack.db('notices').where({ case_id: recipientId, kind: 'TERMINATION' }).first();
    expect(notice.status).toBe('DRAFT');
    expect(notice.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(notice.content).toMatchObject({
      recipientName: '王秀英',
      lastPaymentMonth: thisMonth,
      reasons: ['家庭人均收入已高于当地低保标准'],
    });
    await complete(recipientId, 'terminate', caseworker, 'ISSUED');
    const handle = stack.client.workflow.getHandle(`recipient-${recipientId}`);
    expect(await handle.result()).toEqual({ status: 'TERMINATED' });
    expect((await stack.db('notices').where({ id: notice.id }).first()).status).toBe('ISSUED');
    expect(await stack.db('notifications').where({ notice_id: notice.id }).first('subject')).toEqual({
      subject: `终止救助告知书 ${notice.notice_no}`,
    });
    expect(
      (await stack.db('deadlines').where({ case_id: recipientId, kind: 'terminationNotice' }).first()).status,
    ).toBe('met');
    expect((await stack.db('cases').where({ id: recipientId }).first()).status).toBe('TERMINATED');
  });

  it(
    'two runs of a month give one line per recipient in payment, with the amount in force; none after ' + 'termination',
    async () => {
      const ids = [adjusted.recipientId, terminated.recipientId, unchanged.recipientId];
      for (const month of [thisMonth, nextMonth]) {
        const first = await rosterRun(month);
        const second = await rosterRun(month);
        expect(second.lines).toBeGreaterThanOrEqual(first.lines);
        const lines = await linesOf(month, ids);
        expect(new Set(lines.map((l) => l.recipient_id)).size).toBe(lines.length); // never two lines for one recipient
      }
      const amounts = async (month: string) =>
        Object.fromEntries((await linesOf(month, ids)).map((l) => [l.recipient_id, Number(l.amount)]));
      expect(await amounts(thisMonth)).toEqual({
        [adjusted.recipientId]: 220,
        [terminated.recipientId]: 220,
        [unchanged.recipientId]: 220,
      });
      expect(await amounts(nextMonth)).toEqual({ [adjusted.recipientId]: 180, [unchanged.recipientId]: 220 });
      const [line] = await linesOf(nextMonth, [adjusted.recipientId]);
      expect(line.id).toBe(`monthly:${adjusted.recipientId}:${nextMonth}`);
    },
  );

  it('exports the roster as JSON (by region), CSV with a BOM, and a Chinese PDF', async () => {
    const json = await stack.call('GET', `/api/v1/payments?month=${nextMonth}&limit=5000`, { token: caseworker });
    expect(json.status).toBe(200);
    const mine = json.body.items.find((l: { recipientId: string }) => l.recipientId === adjusted.recipientId);
    expect(mine).toMatchObject({
      amount: 180,
      category: 'DIBAO',
      regionCode: '410721100',
      regionName: '七里营镇',
      headName: '王秀英',
      householdSize: 1,
    });
    expect(mine.headIdNumberMasked).toMatch(/^410721\*{8}\d{3}[\dX]$/);
    const other = await stack.call('GET', `/api/v1/payments?month=${nextMonth}`, {
      token: stack.token('caseworker', '410721101'),
    });
    expect(other.body.items.some((l: { recipientId: string }) => l.recipientId === adjusted.recipientId)).toBe(false);
    expect(
      (await stack.call('GET', `/api/v1/payments?month=${nextMonth}&region=410721101`, { token: caseworker })).status,
    ).toBe(403);
    expect((await stack.call('GET', '/api/v1/payments?month=2026-13', { token: caseworker })).status).toBe(400);

    const csv = await fetch(`${stack.baseUrl}/api/v1/payments/roster.csv?month=${nextMonth}`, {
      headers: { authorization: `Bearer ${caseworker}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(rows[0]).toBe(
      '序号,乡镇,区划代码,户主姓名,身份证号（脱敏）,家庭人口,救助类别,发放月份,金额（元）,救助对象编号,付款编号',
    );
    expect(rows.find((r) => r.includes(adjusted.recipientId))).toMatch(
      new RegExp(
        `^\\d+,七里营镇,410721100,王秀英,410721\\*{8}\\d{3}[\\dX],1,低保,${nextMonth},180\\.00,${adjusted.recipientId},monthly:`,
      ),
    );
    expect(rows.some((r) => r.includes(terminated.recipientId))).toBe(false);
    expect(rows.length - 1).toBe(json.body.lines);

    const pdf = await fetch(`${stack.baseUrl}/api/v1/payments/roster.pdf?month=${nextMonth}`, {
      headers: { authorization: `Bearer ${caseworker}` },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('the monthly Schedule is created once (a second create is a no-op) and its run produces the roster', async () => {
    const client: Client = stack.client;
    const scheduleId = `roster-test-${process.pid}`;
    expect(await ensureRosterSchedule(client, `e2e-${process.pid}`, scheduleId)).toEqual([scheduleId]);
    expect(await ensureRosterSchedule(client, `e2e-${process.pid}`, scheduleId)).toEqual([]);
    const handle = client.schedule.getHandle(scheduleId);
    try {
      const d = await handle.describe();
      expect(d.spec.timezone).toBe('Asia/Shanghai');
      expect(d.spec.calendars?.[0]).toMatchObject({
        dayOfMonth: [{ start: 1, end: 1, step: 1 }],
        hour: [{ start: 2, end: 2, step: 1 }],
      });
      await handle.trigger();
      let runId: string | undefined;
      for (let i = 0; i < 100 && !runId; i++) {
        runId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!runId) await new Promise((res) => setTimeout(res, 100));
      }
      const result = await client.workflow.getHandle(runId!).result();
      expect(result).toMatchObject({ month: thisMonth });
      expect(await linesOf(thisMonth, [unchanged.recipientId])).toHaveLength(1);
    } finally {
      await handle.delete();
    }
  });
});
