// The application lifecycle through real HTTP, a real Temporal dev server and a real PostgreSQL.
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';

jest.setTimeout(60_000);

let stack: Stack;
let caseworker: string;
let reviewer: string;
let officer: string;
let supervisor: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker');
  reviewer = stack.token('reviewer');
  officer = stack.token('county_officer', '410721');
  supervisor = stack.token('supervisor', '410721');
});
afterAll(async () => {
  await stack?.stop();
});

const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);

async function submit(body: unknown = singlePersonApplication({ receivedOn: daysAgo(40) })): Promise<string> {
  const r = await stack.call('POST', '/api/v1/applications', { token: caseworker, body });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

async function openTask(caseId: string, type: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const r = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, { token: supervisor });
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
  return stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token, body: { outcome, data } });
}

/** Accept, investigate and review with back-dated paper dates so publicity is already over. */
async function throughPublicity(caseId: string, dates: { accept: string; investigate: string; review: string }) {
  expect((await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: dates.accept })).status).toBe(200);
  expect((await complete(caseId, 'homeVisit', caseworker, 'DONE', { effectiveOn: dates.investigate })).status).toBe(
    200,
  );
  expect((await complete(caseId, 'economicCheck', caseworker, 'DONE', { effectiveOn: dates.investigate })).status).toBe(
    200,
  );
  const r = await complete(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL', { effectiveOn: dates.review });
  expect(r.status).toBe(200);
  return r;
}

describe('application to approval', () => {
  it('runs submit → accept → investigation → assessment → review → publicity → confirm → enrol', async () => {
    const caseId = await submit();
    const accepted = await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(38) });
    expect(accepted.body.activeSteps.sort()).toEqual(['economicCheck', 'homeVisit']);
    // The answer comes once the case rests, deadline rows included (docs/architecture.md §4): no polling needed.
    const rows = await stack.db('deadlines').where({ case_id: caseId }).orderBy('kind').pluck('kind');
    expect(rows).toEqual(['firstReviewOpinion', 'wholeCase']);
    // Each investigation task takes its due time from the first-review deadline it is timed by.
    const timed = await stack.db('tasks').where({ case_id: caseId, status: 'OPEN' }).select('deadline_id', 'due_at');
    const frd = await stack
      .db('deadlines')
      .where({ case_id: caseId, kind: 'firstReviewOpinion' })
      .first('id', 'due_at');
    expect(timed).toEqual([
      { deadline_id: frd.id, due_at: frd.due_at },
      { deadline_id: frd.id, due_at: frd.due_at },
    ]);
    await complete(caseId, 'homeVisit', caseworker, 'DONE', { effectiveOn: daysAgo(35) });
    await complete(caseId, 'economicCheck', caseworker, 'DONE', { effectiveOn: daysAgo(35) });
    const reviewed = await complete(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL', {
      effectiveOn: daysAgo(30),
    });
    // Posted 30 days ago: the 7-day publicity has run out, so the case waits for confirmation.
    expect(reviewed.body.activeSteps).toEqual(['confirm']);

    const detail = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: officer });
    expect(detail.body.assessment).toMatchObject({ category: 'DIBAO', monthlyAmount: 220 });
    const confirmed = await complete(caseId, 'confirm', reviewer, 'APPROVED', {
      category: 'DIBAO',
      monthlyAmount: 220,
      effectiveOn: daysAgo(20),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('APPROVED');

    const after = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: officer });
    expect(after.body.status).toBe('APPROVED');
    expect(after.body.decisions).toEqual([
      expect.objectContaining({
        outcome: 'APPROVED',
        category: 'DIBAO',
        monthlyAmount: 220,
        startMonth:
          addCalendarDays(daysAgo(20), 0).slice(0, 7) === today.slice(0, 7) ? expect.any(String) : expect.any(String),
        deviation: false,
      }),
    ]);
    const recipient = await stack.db('recipients').where({ case_id: caseId }).first();
    expect(recipient).toMatchObject({ category: 'DIBAO', status: 'ACTIVE', monthly_amount: 220 });
    const [y, m] = daysAgo(20).split('-').map(Number);
    expect(recipient.start_month).toBe(m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`);
    // Every policy limit of the case is settled.
    expect(after.body.deadlines.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`).sort()).toEqual([
      'confirmation:met',
      'firstReviewOpinion:met',
      'wholeCase:met',
    ]);
    expect(after.body.timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['case.submit', 'task.complete', 'decision.approved', 'recipient.enrol']),
    );
  });
});

describe('application to refusal', () => {
  it(
    'gives the refusal notice deadline of 2026-10-10 for a refusal on 2026-09-30, lists it overdue, and issues ' +
      'the PDF',
    async () => {
      const caseId = await submit(singlePersonApplication({ receivedOn: '2026-09-01' }));
      await throughPublicity(caseId, { accept: '2026-09-02', investigate: '2026-09-08', review: '2026-09-10' });
      const refused = await complete(caseId, 'confirm', reviewer, 'REFUSED', {
        reasons: ['家庭人均收入高于当地低保标准'],
        // Assessed DIBAO: refusing it departs from the assessment (docs/policy.md §8.2).
        deviationReason: '入户核实有未申报的经营收入',
        effectiveOn: '2026-09-30',
      });
      expect(refused.status).toBe(200);
      expect(refused.body.activeSteps).toEqual(['refusalNotice']);

      const calendar = await stack.call('GET', '/api/v1/calendar/working-days/add?from=2026-09-30&days=3', {
        token: caseworker,
      });
      expect(calendar.body).toMatchObject({ due: '2026-10-10', provisional: false });

      let overdue: any[] = [];
      for (let i = 0; i < 50 && !overdue.length; i++) {
        const r = await stack.call('GET', `/api/v1/deadlines?status=overdue&kind=refusalNotice&caseId=${caseId}`, {
          token: supervisor,
        });
        overdue = r.body.items;
        if (!overdue.length) await new Promise((res) => setTimeout(res, 100));
      }
      expect(overdue).toEqual([
        expect.objectContaining({
          kind: 'refusalNotice',
          dueOn: '2026-10-10',
          dueAt: '2026-10-10T15:59:59.999Z',
          status: 'overdue',
        }),
      ]);
      const alerts = await stack.db('notifications').where({ case_id: caseId }).where('id', 'like', '%:overdue:%');
      expect(alerts.map((a) => a.recipient)).toContain('supervisor@410721100');

      const detail = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: caseworker });
      const notice = detail.body.notices[0];
      expect(notice).toMatchObject({ kind: 'REFUSAL', status: 'DRAFT' });
      const pdf = await fetch(`${stack.baseUrl}/api/v1/notices/${encodeURIComponent(notice.id)}/pdf`, {
        headers: { authorization: `Bearer ${caseworker}` },
      });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');

      const issued = await complete(caseId, 'refusalNotice', caseworker, 'ISSUED');
      expect(issued.status).toBe(200);
      expect(issued.body).toMatchObject({ status: 'REFUSED', activeSteps: [] });
      const deadline = (
        await stack.call('GET', `/api/v1/deadlines?kind=refusalNotice&caseId=${caseId}`, { token: supervisor })
      ).body.items[0];
      expect(deadline).toMatchObject({ status: 'met', metLate: true });
      const n = await stack.call('GET', `/api/v1/notices/${encodeURIComponent(notice.id)}`, { token: caseworker });
      expect(n.body).toMatchObject({
        status: 'ISSUED',
        content: expect.objectContaining({ decisionDate: '2026-09-30', reasons: ['家庭人均收入高于当地低保标准'] }),
      });
      expect(await stack.db('notifications').where({ id: `${notice.id}:delivery` })).toHaveLength(1);
    },
  );
});

describe('task completions the workflow refuses', () => {
  it(
    'answers 409 for a repeated completion, 422 for a wrong outcome or data, 403 for the wrong role, 404 for ' +
      'no task',
    async () => {
      const caseId = await submit();
      const acceptId = await openTask(caseId, 'accept');
      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, {
            token: caseworker,
            body: { outcome: 'APPROVED' },
          })
        ).status,
      ).toBe(422);
      const noList = await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, {
        token: caseworker,
        body: { outcome: 'RETURNED', data: { missingDocuments: [] } },
      });
      expect(noList.status).toBe(422);
      expect(noList.body.error.code).toBe('INVALID_COMPLETION');
      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, {
            token: reviewer,
            body: { outcome: 'ACCEPTED' },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, {
            token: caseworker,
            body: { outcome: 'ACCEPTED', data: { effectiveOn: addCalendarDays(today, 2) } },
          })
        ).status,
      ).toBe(422);
      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, {
            token: caseworker,
            body: { outcome: 'ACCEPTED' },
          })
        ).status,
      ).toBe(200);
      const again = await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, {
        token: caseworker,
        body: { outcome: 'ACCEPTED' },
      });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'CONFLICT' });
      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${caseId}:accept:9/complete`, {
            token: caseworker,
            body: { outcome: 'ACCEPTED' },
          })
        ).status,
      ).toBe(404);
      // Nothing of this changed the case: it is in investigation with exactly one accept completion audited.
      const audits = await stack.db('audit_log').where({ case_id: caseId, action: 'task.complete' });
      expect(audits).toHaveLength(1);
    },
  );

  it('returns an application with everything missing listed at once', async () => {
    const caseId = await submit();
    const r = await complete(caseId, 'accept', caseworker, 'RETURNED', { missingDocuments: ['户口簿', '收入证明'] });
    expect(r.body).toMatchObject({ status: 'RETURNED', activeSteps: [] });
    const c = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: caseworker });
    expect(c.body.returnedMissing).toEqual(['户口簿', '收入证明']);
    expect(c.body.deadlines).toEqual([]);
  });

  it('lets one caseworker claim a task and keeps others from completing it', async () => {
    const caseId = await submit();
    const acceptId = await openTask(caseId, 'accept');
    expect((await stack.call('POST', `/api/v1/tasks/${acceptId}/claim`, { token: caseworker })).body.assignee).toBe(
      'test-caseworker',
    );
    const other = stack.token('caseworker', '410721100', 'someone-else');
    expect((await stack.call('POST', `/api/v1/tasks/${acceptId}/claim`, { token: other })).status).toBe(409);
    expect(
      (await stack.call('POST', `/api/v1/tasks/${acceptId}/complete`, { token: other, body: { outcome: 'ACCEPTED' } }))
        .status,
    ).toBe(409);
    const mine = await stack.call('GET', '/api/v1/tasks?mine=true', { token: caseworker });
    expect(mine.body.items.map((t: { id: string }) => t.id)).toContain(acceptId);
    expect(
      (await stack.call('POST', `/api/v1/tasks/${acceptId}/unclaim`, { token: caseworker })).body.assignee,
    ).toBeNull();
  });
});

describe('investigation findings', () => {
  it('assesses the household as verified by the investigation, not as declared', async () => {
    const application = singlePersonApplication({ receivedOn: daysAgo(40) });
    const caseId = await submit(application);
    await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(38) });
    const verified = { ...application.household, incomes: [{ memberId: 'm1', kind: 'WAGES', monthlyAmount: 300 }] };
    expect(
      (await complete(caseId, 'homeVisit', caseworker, 'DONE', { household: verified, findings: '另有零工收入' }))
        .status,
    ).toBe(200);
    const bad = await complete(caseId, 'economicCheck', caseworker, 'DONE', { household: { residence: 'MOON' } });
    expect(bad.status).toBe(422);
    await complete(caseId, 'economicCheck', caseworker, 'DONE');
    const c = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: reviewer });
    expect(c.body.assessment).toMatchObject({ category: 'DIBAO', monthlyAmount: 120 });
    expect(c.body.household.economy.incomes[0].monthlyAmount).toBe(300);
    expect(c.body.timeline.map((e: { action: string }) => e.action)).toContain('household.verify');
  });
});

describe('publicity objections and the decision deviation rule', () => {
  it('reopens the investigation on an objection during publicity, and refuses one outside it', async () => {
    const caseId = await submit();
    await complete(caseId, 'accept', caseworker, 'ACCEPTED');
    await complete(caseId, 'homeVisit', caseworker, 'DONE');
    await complete(caseId, 'economicCheck', caseworker, 'DONE');
    const reviewed = await complete(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL');
    expect(reviewed.body.activeSteps).toEqual(['publicity']);
    const objection = await stack.call('POST', `/api/v1/cases/${caseId}/objections`, {
      token: caseworker,
      body: { reason: '村民反映家中有经营收入' },
    });
    expect(objection.status).toBe(202);
    const c = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: caseworker });
    expect(c.body.activeSteps.sort()).toEqual(['economicCheck', 'homeVisit']);
    expect(
      c.body.tasks
        .filter((t: { status: string }) => t.status === 'OPEN')
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual([`${caseId}:economicCheck:2`, `${caseId}:homeVisit:2`]);
    const outside = await stack.call('POST', `/api/v1/cases/${caseId}/objections`, {
      token: caseworker,
      body: { reason: 'again' },
    });
    expect(outside.status).toBe(409);
  });

  it('refuses a decision that departs from the assessment without a reason, and lists it with one', async () => {
    const caseId = await submit();
    await throughPublicity(caseId, { accept: daysAgo(38), investigate: daysAgo(35), review: daysAgo(30) });
    const bare = await complete(caseId, 'confirm', reviewer, 'APPROVED', { category: 'DIBAO', monthlyAmount: 400 });
    expect(bare.status).toBe(422);
    expect(bare.body.error.details).toMatchObject({ assessed: { category: 'DIBAO', monthlyAmount: 220 } });
    const reasoned = await complete(caseId, 'confirm', reviewer, 'APPROVED', {
      category: 'DIBAO',
      monthlyAmount: 400,
      deviationReason: '入户核实医疗支出未计入',
    });
    expect(reasoned.status).toBe(200);
    const list = await stack.call('GET', '/api/v1/decisions?deviation=true', { token: supervisor });
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          caseId,
          deviation: true,
          deviationReason: '入户核实医疗支出未计入',
          assessed: { category: 'DIBAO', monthlyAmount: 220 },
        }),
      ]),
    );
  });
});

// The worker runs workflows without the SDK's stack-trace hook (engine/workflow-thread-preload.cjs): Updates, whose
// scopes need Node's async_hooks in the same threads, still answer; the stack trace query is refused (with stack traces
// on it answers the stack; the refusal's message is encrypted like every failure's, engine/failure-converter.ts).
describe('workflow threads without stack traces', () => {
  it('complete tasks through Updates and refuse the stack trace query', async () => {
    const caseId = await submit();
    expect((await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(39) })).status).toBe(200);
    const handle = stack.client.workflow.getHandle(`application-${caseId}`);
    await expect(handle.query('__stack_trace')).rejects.toThrow('Encoded failure');
  });
});
