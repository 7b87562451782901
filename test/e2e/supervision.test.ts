// Deadline supervision on the real stack: near-due and lateness lists, the summary, the escalation ladder's real
// activities and in-app inboxes, and the reconciliation of deadline rows with the workflows' own timers.
import { randomUUID } from 'node:crypto';
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { createActivities } from '../../processes';
import { reconcileDeadlines } from '../../scripts/lib/reconcile';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';

jest.setTimeout(90_000);

let stack: Stack;
const TOWNSHIP = '410721104'; // 翟坡镇: the rows this file inserts live here
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const today = shanghaiDate(Date.now());

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function until<T>(what: string, check: () => Promise<T | undefined | false>, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function newCase(region = TOWNSHIP): Promise<string> {
  const r = await stack.call('POST', '/api/v1/applications', {
    token: stack.token('caseworker', region),
    body: singlePersonApplication({ regionCode: region }),
  });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

function row(caseId: string, over: Record<string, unknown>) {
  const dueAt = over.due_at as Date;
  return {
    id: `${caseId}:stageReview:${randomUUID().slice(0, 8)}`,
    case_id: caseId,
    kind: 'stageReview',
    region_code: TOWNSHIP,
    started_on: addCalendarDays(today, -30),
    working_days: 5,
    due_on: shanghaiDate(dueAt),
    status: 'pending',
    ...over,
  };
}

describe('deadline lists and summary', () => {
  it(
    'lists near-due deadlines (dueWithin), sorts by lateness, and counts by township, kind and status in ' + 'scope',
    async () => {
      const supervisor = stack.token('supervisor', '410721');
      const summary = async (token = supervisor, region?: string) =>
        (await stack.call('GET', `/api/v1/deadlines/summary${region ? `?region=${region}` : ''}`, { token })).body
          .items as { township: string; kind: string; status: string; count: number }[];
      const count = (items: { township: string; kind: string; status: string; count: number }[], status: string) =>
        items.find((i) => i.township === TOWNSHIP && i.kind === 'stageReview' && i.status === status)?.count ?? 0;
      const before = await summary();

      const caseId = await newCase();
      const now = Date.now();
      const soon = row(caseId, { due_at: new Date(now + DAY) });
      const later = row(caseId, { due_at: new Date(now + 15 * DAY) });
      const veryLate = row(caseId, {
        due_at: new Date(now - 10 * DAY),
        status: 'overdue',
        overdue_at: new Date(now - 10 * DAY),
        escalation_level: 2,
      });
      const late = row(caseId, {
        due_at: new Date(now - 3 * DAY),
        status: 'overdue',
        overdue_at: new Date(now - 3 * DAY),
        escalation_level: 1,
      });
      const metLate = row(caseId, {
        due_at: new Date(now - 20 * DAY),
        status: 'met',
        met_at: new Date(now - 19 * DAY),
        met_late: true,
      });
      await stack.db('deadlines').insert([soon, later, veryLate, late, metLate]);

      const list = async (q: string) =>
        stack.call('GET', `/api/v1/deadlines?caseId=${caseId}&${q}`, { token: supervisor });
      expect((await list('dueWithin=2d')).body.items.map((d: any) => d.id)).toEqual([soon.id]);
      expect((await list('dueWithin=2wd')).body.items.map((d: any) => d.id)).toEqual([soon.id]);
      expect((await list('dueWithin=30d')).body.items.map((d: any) => d.id)).toEqual([soon.id, later.id]);
      expect((await list('sort=lateness')).body.items.map((d: any) => d.id)).toEqual([
        veryLate.id,
        late.id,
        metLate.id,
        soon.id,
        later.id,
      ]);
      expect(
        (await list('sort=lateness&status=overdue')).body.items.map((d: any) => `${d.id}:${d.escalationLevel}`),
      ).toEqual([`${veryLate.id}:2`, `${late.id}:1`]);
      expect((await list('dueWithin=2d&status=overdue')).status).toBe(400);
      expect((await list('dueWithin=soon')).status).toBe(400);

      // Counts, kept by the triggers: the five rows are there, and a status change moves one.
      const after = await summary();
      expect([
        count(after, 'pending') - count(before, 'pending'),
        count(after, 'overdue') - count(before, 'overdue'),
        count(after, 'met') - count(before, 'met'),
      ]).toEqual([2, 2, 1]);
      await stack.db('deadlines').where({ id: soon.id }).update({ status: 'met', met_at: new Date() });
      const moved = await summary();
      expect([count(moved, 'pending') - count(before, 'pending'), count(moved, 'met') - count(before, 'met')]).toEqual([
        1, 2,
      ]);
      // A township supervisor sees its own township only; another township's caseworker may not ask for it.
      const township = await summary(stack.token('supervisor', TOWNSHIP));
      expect(new Set(township.map((i) => i.township))).toEqual(new Set([TOWNSHIP]));
      expect(count(township, 'overdue')).toBe(count(moved, 'overdue'));
      expect(
        (
          await stack.call('GET', `/api/v1/deadlines/summary?region=${TOWNSHIP}`, {
            token: stack.token('caseworker', '410721100'),
          })
        ).status,
      ).toBe(403);
    },
  );
});

describe('escalation ladder (real activities) and in-app notifications', () => {
  it(
    'step 1 tells the assignee and the township, step 2 the county; each recorded once on the deadline, in its ' +
      'history and the audit log',
    async () => {
      const caseId = await newCase();
      const assignee = stack.token('caseworker', TOWNSHIP, 'cw-ladder');
      const taskId = `${caseId}:accept:1`;
      expect(
        (await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/claim`, { token: assignee })).status,
      ).toBe(200);
      const d = row(caseId, { due_at: new Date(Date.now() - HOUR), task_id: taskId });
      await stack.db('deadlines').insert(d);
      const acts = createActivities({ db: stack.db, countyEscalationWorkingDays: 3 });
      const step = {
        deadlineId: d.id,
        caseId,
        kind: 'stageReview' as const,
        regionCode: TOWNSHIP,
        dueOn: d.due_on,
        taskId,
      };

      // a retry adds nothing
      for (let i = 0; i < 2; i++) expect(await acts.markDeadlineOverdue(step)).toEqual({ countyAfterWorkingDays: 3 });
      expect(await stack.db('deadlines').where({ id: d.id }).first()).toMatchObject({
        status: 'overdue',
        escalation_level: 1,
      });
      const level1 = await stack.db('deadline_escalations').where({ deadline_id: d.id });
      expect(level1).toEqual([expect.objectContaining({ level: 1, region_code: TOWNSHIP })]);
      expect(level1[0].notified).toEqual(
        expect.arrayContaining([
          `LOG:supervisor@${TOWNSHIP}`,
          `IN_APP:role:supervisor@${TOWNSHIP}`,
          'IN_APP:user:cw-ladder',
        ]),
      );

      for (let i = 0; i < 2; i++) await acts.escalateDeadline({ ...step, level: 2 });
      expect((await stack.db('deadlines').where({ id: d.id }).first()).escalation_level).toBe(2);
      const history = await stack.db('deadline_escalations').where({ deadline_id: d.id }).orderBy('level');
      expect(history.map((h) => `${h.level}:${h.region_code}`)).toEqual([`1:${TOWNSHIP}`, '2:410721']);
      expect(history[1].notified).toEqual(
        expect.arrayContaining(['LOG:supervisor@410721', 'IN_APP:role:supervisor@410721']),
      );
      const audit = await stack
        .db('audit_log')
        .where({ entity: 'deadline', entity_id: d.id })
        .orderBy('id')
        .select('action', 'after');
      expect(audit.map((a) => a.action)).toEqual(['deadline.overdue', 'deadline.escalate']);
      expect(
        (await stack.call('GET', `/api/v1/deadlines?caseId=${caseId}`, { token: stack.token('supervisor', '410721') }))
          .body.items[0],
      ).toMatchObject({ id: d.id, status: 'overdue', escalationLevel: 2 });

      // The assignee reads it in-app and marks it read; nobody else can.
      const mine = (await stack.call('GET', '/api/v1/me/notifications?unread=true', { token: assignee })).body.items;
      const alert = mine.find((n: any) => n.payload?.deadlineId === d.id);
      expect(alert).toMatchObject({ caseId, readAt: null, payload: { type: 'deadline.overdue', level: 1 } });
      expect(
        (
          await stack.call('POST', `/api/v1/me/notifications/${encodeURIComponent(alert.id)}/read`, {
            token: stack.token('caseworker', TOWNSHIP, 'someone-else'),
          })
        ).status,
      ).toBe(404);
      const read = await stack.call('POST', `/api/v1/me/notifications/${encodeURIComponent(alert.id)}/read`, {
        token: assignee,
      });
      expect(read.status).toBe(200);
      expect(
        (await stack.call('GET', '/api/v1/me/notifications?unread=true', { token: assignee })).body.items.some(
          (n: any) => n.id === alert.id,
        ),
      ).toBe(false);
      // The county's supervisors hear of step 2 only; the township's of step 1 only.
      const county = (
        await stack.call('GET', '/api/v1/me/notifications', { token: stack.token('supervisor', '410721', 'sv-county') })
      ).body.items.filter((n: any) => n.payload?.deadlineId === d.id);
      expect(county.map((n: any) => n.payload.level)).toEqual([2]);
      const townshipSv = (
        await stack.call('GET', '/api/v1/me/notifications', { token: stack.token('supervisor', TOWNSHIP, 'sv-town') })
      ).body.items.filter((n: any) => n.payload?.deadlineId === d.id);
      expect(townshipSv.map((n: any) => n.payload.level)).toEqual([1]);
    },
  );
});

describe('reconciliation', () => {
  it(
    'finds nothing while rows and timers agree, then reports a tampered due date, a deleted row and a row of a ' +
      'closed workflow',
    async () => {
      const caseworker = stack.token('caseworker', TOWNSHIP);
      const running = await newCase();
      const accept = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(`${running}:accept:1`)}/complete`, {
        token: caseworker,
        body: { outcome: 'ACCEPTED', data: {} },
      });
      expect(accept.status).toBe(200);
      const closed = await newCase();
      const returned = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(`${closed}:accept:1`)}/complete`, {
        token: caseworker,
        body: { outcome: 'RETURNED', data: { missingDocuments: ['户口簿'] } },
      });
      expect(returned.status).toBe(200);
      await until(
        'closed workflow',
        async () =>
          (await stack.client.workflow.getHandle(`application-${closed}`).describe()).status.name === 'COMPLETED',
      );
      const ids = [running, closed];
      await until('deadline rows', async () => (await stack.db('deadlines').where({ case_id: running })).length === 2);

      const clean = await reconcileDeadlines(stack.db, stack.client, { caseIds: ids, confirmAfterMs: 200 });
      expect(clean).toMatchObject({ checkedWorkflows: 2, checkedRows: 2, differences: [] });

      // Tamper with the read model.
      const firstReview = `${running}:firstReviewOpinion:1`;
      const wholeCase = `${running}:wholeCase:1`;
      const original = await stack.db('deadlines').where({ id: firstReview }).first();
      await stack
        .db('deadlines')
        .where({ id: firstReview })
        .update({ due_on: addCalendarDays(original.due_on, 7) });
      await stack.db('deadlines').where({ id: wholeCase }).delete();
      const orphan = row(closed, {
        id: `${closed}:wholeCase:1`,
        kind: 'wholeCase',
        due_at: new Date(Date.now() + 10 * DAY),
      });
      await stack.db('deadlines').insert(orphan);

      const report = await reconcileDeadlines(stack.db, stack.client, { caseIds: ids, confirmAfterMs: 200 });
      expect(report.differences.map((d) => `${d.kind} ${d.deadlineId}`).sort()).toEqual(
        [`DUE_MISMATCH ${firstReview}`, `MISSING_ROW ${wholeCase}`, `ROW_OF_CLOSED_WORKFLOW ${orphan.id}`].sort(),
      );
      expect(report.differences.find((d) => d.kind === 'DUE_MISMATCH')).toMatchObject({
        row: { dueOn: addCalendarDays(original.due_on, 7) },
        workflow: { dueOn: original.due_on, status: 'pending' },
      });
      // Repaired: in agreement again.
      await stack.db('deadlines').where({ id: firstReview }).update({ due_on: original.due_on });
      await stack.db('deadlines').where({ id: orphan.id }).delete();
      const held = report.differences.find((d) => d.kind === 'MISSING_ROW')!.workflow!;
      await stack.db('deadlines').insert({
        id: wholeCase,
        case_id: running,
        kind: 'wholeCase',
        region_code: TOWNSHIP,
        started_on: original.started_on,
        working_days: 30,
        due_on: held.dueOn,
        due_at: new Date(held.dueAt),
        status: 'pending',
      });
      expect(
        (await reconcileDeadlines(stack.db, stack.client, { caseIds: ids, confirmAfterMs: 200 })).differences,
      ).toEqual([]);
    },
  );
});
