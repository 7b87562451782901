// Killing the worker in the middle of a check loses nothing: the worker runs as its own process (test/support/
// worker-process.ts), is killed with SIGKILL while a change-report check is open, and the completion sent while no
// worker runs is answered once a new worker starts — one task, one check outcome, one amount change, one audit entry.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { E2E_ENV_FILE } from '../support/global-setup';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { monthAfter } from '../../domain/dates';
import { PROJECT_ROOT } from '../../config';

jest.setTimeout(180_000);

const taskQueue = `kill-${process.pid}`;
let stack: Stack;
let worker: ChildProcess | undefined;

function startWorker(): Promise<ChildProcess> {
  const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { databaseUrl: string; temporalAddress: string };
  // `--import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a SIGKILL of the child would orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/support/worker-process.ts')], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
    },
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    child.stdout!.on('data', (d) => {
      if (String(d).includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${err.slice(-2000)}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  stack = await startStack({ taskQueue, worker: false });
  worker = await startWorker();
});
afterAll(async () => {
  if (worker) await kill(worker);
  await stack?.stop();
});

const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);

async function openTask(caseId: string, type: string, token: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, { token });
    if (r.body.items?.length) return r.body.items[0].id;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no open ${type} task for ${caseId}`);
}

it('a worker killed mid-check is replaced without losing or duplicating anything', async () => {
  const caseworker = stack.token('caseworker');
  const reviewer = stack.token('reviewer');
  const step = async (caseId: string, type: string, token: string, outcome: string, data: Record<string, unknown>) => {
    const r = await stack.call(
      'POST',
      `/api/v1/tasks/${encodeURIComponent(await openTask(caseId, type, token))}/complete`,
      { token, body: { outcome, data } },
    );
    expect(r.status).toBe(200);
    return r;
  };
  const caseId = (
    await stack.call('POST', '/api/v1/applications', {
      token: caseworker,
      body: singlePersonApplication({ receivedOn: daysAgo(70) }),
    })
  ).body.caseId;
  await step(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(68) });
  await step(caseId, 'homeVisit', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await step(caseId, 'economicCheck', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await step(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL', { effectiveOn: daysAgo(60) });
  await step(caseId, 'confirm', reviewer, 'APPROVED', {
    category: 'DIBAO',
    monthlyAmount: 220,
    effectiveOn: daysAgo(40),
  });
  let recipientId: string | undefined;
  for (let i = 0; i < 100 && !recipientId; i++) {
    recipientId = (await stack.db('recipients').where({ case_id: caseId }).whereNotNull('next_check_on').first('id'))
      ?.id;
    if (!recipientId) await new Promise((res) => setTimeout(res, 100));
  }
  expect(recipientId).toBeDefined();

  // The check opens; then the worker dies between opening the task and its completion.
  const reported = await stack.call('POST', `/api/v1/cases/${recipientId}/change-reports`, {
    token: caseworker,
    body: { description: '家庭成员患重病，医疗支出增加' },
  });
  expect(reported.status).toBe(201);
  await kill(worker!);
  worker = undefined;

  // The caseworker completes the check while no worker runs: the request waits, it is not lost.
  const completion = stack.call('POST', `/api/v1/tasks/${encodeURIComponent(reported.body.taskId)}/complete`, {
    token: caseworker,
    body: { outcome: 'ADJUST', data: { newMonthlyAmount: 300, reason: '医疗支出增加' } },
  });
  const early = await Promise.race([
    completion.then(() => 'answered'),
    new Promise((res) => setTimeout(() => res('waiting'), 1_500)),
  ]);
  expect(early).toBe('waiting');
  worker = await startWorker();
  const answer = await completion;
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ status: 'ACTIVE', openTasks: [] });

  // Exactly once, everywhere.
  expect(await stack.db('tasks').where({ case_id: recipientId }).select('id', 'status', 'outcome')).toEqual([
    { id: reported.body.taskId, status: 'COMPLETED', outcome: 'ADJUST' },
  ]);
  expect(await stack.db('recipient_checks').where({ recipient_id: recipientId }).select('id', 'outcome')).toEqual([
    { id: reported.body.checkId, outcome: 'ADJUST' },
  ]);
  expect(
    await stack
      .db('recipient_amounts')
      .where({ recipient_id: recipientId })
      .orderBy('from_month')
      .select('from_month', 'amount'),
  ).toEqual([
    { from_month: monthAfter(daysAgo(40)), amount: 220 },
    { from_month: monthAfter(today), amount: 300 },
  ]);
  expect(await stack.db('audit_log').where({ case_id: recipientId, action: 'task.complete' }).count('* as n')).toEqual([
    { n: '1' },
  ]);
  expect(await stack.db('audit_log').where({ case_id: recipientId, action: 'check.adjust' }).count('* as n')).toEqual([
    { n: '1' },
  ]);
  expect(await stack.db('deadlines').where({ case_id: recipientId }).select('kind', 'status')).toEqual([
    { kind: 'changeCheck', status: 'met' },
  ]);

  // The process carries on under the new worker: the next report opens check number 2.
  const again = await stack.call('POST', `/api/v1/cases/${recipientId}/change-reports`, {
    token: caseworker,
    body: { description: '复查' },
  });
  expect(again.body).toMatchObject({ checkId: `${recipientId}:check:2`, taskId: `${recipientId}:changeReport:2` });
  await stack.client.workflow.getHandle(`recipient-${recipientId}`).terminate('test over');
});
