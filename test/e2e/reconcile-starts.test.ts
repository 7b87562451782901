// A case row whose workflow never started (Temporal down at POST /applications: the row commits, the start fails) is
// found and started by the reconciliation job (scripts/lib/reconcile-starts.ts), with the same workflow id, once; the
// case then has its first task as if nothing had happened, and `npm run reconcile` reports what it started.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { signToken } from '../../api/http/auth';
import { PROJECT_ROOT } from '../../config';
import { CaseEngine } from '../../engine/client';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { reconcileUnstartedCases } from '../../scripts/lib/reconcile-starts';
import { singlePersonApplication } from '../support/fixtures';
import { E2E_ENV_FILE } from '../support/global-setup';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(90_000);
const run = promisify(execFile);

let stack: Stack;
let deadServer: Server;
let deadBase: string;
let deadConnection: Connection;

beforeAll(async () => {
  stack = await startStack();
  // The same API on the same database, but its Temporal is down (nothing listens there).
  deadConnection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '500 ms' });
  const app = createApp({
    db: stack.db,
    engine: new CaseEngine(new Client({ connection: deadConnection }), stack.config.taskQueue),
    config: stack.config,
  });
  deadServer = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  deadBase = `http://127.0.0.1:${(deadServer.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => deadServer?.close(r));
  await deadConnection?.close().catch(() => undefined);
  await stack?.stop();
});

it('starts the workflow of a case row that has none, once, and npm run reconcile reports it', async () => {
  const token = signToken(stack.config.jwtSecret, { sub: 'cw', role: 'caseworker', region: '410721100' });
  const body = singlePersonApplication({ receivedOn: addCalendarDays(shanghaiDate(Date.now()), -2) });
  const failed = await fetch(`${deadBase}/api/v1/applications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(failed.status).toBe(503);
  expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('TEMPORAL_UNAVAILABLE');
  const row = await stack.db('cases').orderBy('created_at', 'desc').first('id', 'workflow_id', 'workflow_started_at');
  expect(row.workflow_started_at).toBeNull();
  await expect(stack.client.workflow.getHandle(row.workflow_id).describe()).rejects.toThrow(/not found/i);

  // Reported without repair by a dry run; then repaired by the script; then nothing left to do.
  const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { databaseUrl: string; temporalAddress: string };
  // Not spawnSync: the worker runs in this process and must go on meanwhile.
  const script = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/reconcile.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_TASK_QUEUE: stack.config.taskQueue,
        DOUDI_DATA_DIR: stack.dataDir,
      },
      encoding: 'utf8',
      timeout: 60_000,
    }).then(
      (r) => ({ status: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ status: e.code, stdout: e.stdout }),
    );
  await stack
    .db('cases')
    .where({ id: row.id })
    .update({ created_at: new Date(Date.now() - 60_000) });
  // --case: the other test files' rows in this shared database are theirs to mind
  const dry = await script('--dry-run', '--case', row.id);
  expect(dry.stdout).toContain(`case ${row.id}`);
  expect((await stack.db('cases').where({ id: row.id }).first('workflow_started_at')).workflow_started_at).toBeNull();
  const repaired = await script('--case', row.id);
  expect(repaired.stdout).toMatch(new RegExp(`STARTED\\s+case ${row.id}`));
  expect(repaired.status).toBe(1);

  const described = await stack.client.workflow.getHandle(row.workflow_id).describe();
  expect(described.status.name).toBe('RUNNING');
  for (let i = 0; i < 100; i++) {
    if (await stack.db('tasks').where({ case_id: row.id, type: 'accept' }).first('id')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await stack.db('tasks').where({ case_id: row.id, type: 'accept' })).toHaveLength(1);

  // Idempotent: confirmed, so the job finds nothing; a second start attempt finds the workflow.
  expect((await reconcileUnstartedCases(stack.db, stack.engine, { graceMs: 0, caseIds: [row.id] })).cases).toEqual([]);
  const definition = (await import('../../processes')).processByName('application')!;
  const { workflow_input } = await stack.db('cases').where({ id: row.id }).first('workflow_input');
  expect(await stack.engine.ensureStarted(definition, row.id, workflow_input)).toBe('EXISTS');
  expect(await stack.db('cases').where({ id: row.id })).toHaveLength(1);
});
