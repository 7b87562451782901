// Crashes heal themselves: `npm start` (scripts/start.ts, its own embedded PostgreSQL and Temporal dev server on free
// ports, a fresh data folder) runs cases while the worker, the API and the Temporal server are each killed with
// SIGKILL; its supervisor restarts each one, with no hand on the keyboard, and in the end every application submitted
// is one case, whose workflow runs and whose tasks exist; none lost, none doubled. /readyz answers within 2 s while
// Temporal is down, and says whether a worker polls.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { signToken } from '../../api/http/auth';
import { PROJECT_ROOT } from '../../config';
import { createKnex } from '../../data/db';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { freePort } from '../../scripts/lib/ports';
import { spawnTs, waitForLine, type Proc } from '../../scripts/lib/processes';
import { removeDataDir } from '../../scripts/lib/postgres-user';
import { singlePersonApplication } from '../support/fixtures';

jest.setTimeout(180_000);

const secret = randomBytes(32).toString('hex');
const caseworker = signToken(secret, { sub: 'cw-crash', role: 'caseworker', region: '410721100' });
let dir: string;
let start: Proc;
const lines: string[] = [];
let base: string;
let db: Knex;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doudi-crash-'));
  const [pgPort, temporalPort, uiPort, apiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'DOUDI_PAYLOAD_KEY', 'DOUDI_ID_KEYS']) delete env[k];
  Object.assign(env, {
    DOUDI_DATA_DIR: join(dir, 'data'),
    DOUDI_PG_PORT: String(pgPort),
    DOUDI_TEMPORAL_PORT: String(temporalPort),
    DOUDI_TEMPORAL_UI_PORT: String(uiPort),
    PORT: String(apiPort),
    AUTH_JWT_SECRET: secret,
    DOUDI_RECONCILE_INTERVAL_SECONDS: '2',
  });
  base = `http://127.0.0.1:${apiPort}`;
  start = spawnTs('start', join(PROJECT_ROOT, 'scripts/start.ts'), { env, cwd: PROJECT_ROOT, group: true });
  start.onLine((l) => lines.push(l));
  await waitForLine(start, /Doudi is ready/, 150_000);
  db = createKnex(`postgres://doudi:doudi@127.0.0.1:${pgPort}/doudi`, { min: 0, max: 2 });
}, 180_000);

afterAll(async () => {
  await db?.destroy();
  await start?.stop(30_000);
  if (dir) {
    removeDataDir(join(dir, 'data', 'pg'));
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The pid the supervisor last reported for a service ("worker started (pid 123)", "worker restarted (pid 456)"). */
function pidOf(name: string): number {
  const re = new RegExp(`\\| ${name} (?:started|restarted) \\((?:pid )?(\\d+)`);
  const found = lines.flatMap((l) => re.exec(l)?.[1] ?? []);
  if (!found.length) throw new Error(`no pid of ${name} in the log`);
  return Number(found[found.length - 1]);
}
const restarts = (name: string) => lines.filter((l) => l.includes(`| ${name} restarted`)).length;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s\n${start.tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function call(method: string, path: string, body?: unknown, key?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${caseworker}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

const application = () => singlePersonApplication({ receivedOn: addCalendarDays(shanghaiDate(Date.now()), -2) });

async function acceptTask(caseId: string): Promise<string> {
  return until(`accept task of ${caseId}`, async () => {
    const r = await call('GET', `/api/v1/tasks?caseId=${caseId}&type=accept`);
    return r.body?.items?.[0]?.id as string | undefined;
  });
}

const killed: string[] = [];
function kill9(name: string): void {
  process.kill(pidOf(name), 'SIGKILL');
  killed.push(name);
}

const submitted: string[] = []; // ID numbers of every application sent

it('a killed worker is restarted, and a completion sent while it is down is answered', async () => {
  const body = application();
  submitted.push(body.people[0].idNumber);
  const a = await call('POST', '/api/v1/applications', body, randomUUID());
  expect(a.status).toBe(201);
  const task = await acceptTask(a.body.caseId);
  kill9('worker');
  const done = await call('POST', `/api/v1/tasks/${encodeURIComponent(task)}/complete`, {
    outcome: 'ACCEPTED',
    data: {},
  });
  expect(done.status).toBe(200);
  expect(restarts('worker')).toBe(1);
});

it('a killed API is restarted; the request it died in, sent again with its key, makes one case', async () => {
  const body = application();
  submitted.push(body.people[0].idNumber);
  const key = randomUUID();
  const pending = call('POST', '/api/v1/applications', body, key).catch((e: Error) => e);
  await new Promise((r) => setTimeout(r, 30));
  kill9('api');
  await pending; // died with the API, or answered just before: either way the client sends it again
  const again = await until('the API back', async () => {
    const r = await call('POST', '/api/v1/applications', body, key);
    // 409 IDEMPOTENCY_IN_PROGRESS: the dead request's reservation has not lapsed yet (api/http/idempotency.ts LEASE_S);
    // a client tries again later, as this one does.
    return r.status < 500 && r.status !== 409 ? r : undefined;
  });
  expect([200, 201]).toContain(again.status);
  expect(restarts('api')).toBe(1);
  await acceptTask(again.body.caseId);
});

it('a killed Temporal server is restarted; /readyz says so within 2 s meanwhile; cases go on', async () => {
  const body = application();
  submitted.push(body.people[0].idNumber);
  kill9('temporal');
  const t0 = Date.now();
  const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) });
  expect(Date.now() - t0).toBeLessThan(2_000);
  if (restarts('temporal') === 0) {
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', temporal: false });
  }
  // Sent while the server is down: answered once it is back, or refused with 503 and never sent again (then the
  // reconciliation job starts its workflow).
  const c = await call('POST', '/api/v1/applications', body, randomUUID());
  expect([201, 503]).toContain(c.status);
  await until('temporal restarted', async () => (restarts('temporal') >= 1 ? true : undefined));
  const r = await until('ready again, a worker polling', async () => {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) });
    return res.ok ? ((await res.json()) as { worker: { polling: boolean } }) : undefined;
  });
  expect(r.worker.polling).toBe(true);
});

it('loses and doubles nothing: one case per application, each with its workflow and its first task', async () => {
  expect(killed).toEqual(['worker', 'api', 'temporal']);
  const rows = await until('every case row confirmed by its workflow', async () => {
    const cases = await db('cases').where({ process: 'application' }).select('id', 'workflow_started_at');
    return cases.length === submitted.length && cases.every((c) => c.workflow_started_at) ? cases : undefined;
  });
  expect(rows).toHaveLength(submitted.length);
  const applicants = await db('case_people').where({ relation: 'APPLICANT' }).countDistinct('person_id as n');
  expect(Number(applicants[0].n)).toBe(submitted.length);
  for (const c of rows) {
    const tasks = await until(`the accept task of ${c.id}`, async () => {
      const t = await db('tasks').where({ case_id: c.id, type: 'accept' });
      return t.length ? t : undefined;
    });
    expect(tasks).toHaveLength(1);
  }
  expect(start.child.exitCode).toBeNull(); // npm start itself never went down
});
