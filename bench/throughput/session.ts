// One system under test for bench/throughput.ts: its target (addresses), a Temporal client, the bare workflow's
// worker process on a task queue of its own, and a case driver for each side.
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../config';
import { spawnTs, waitForLine } from '../../scripts/lib/processes';
import type { Target } from '../lib/local-stack';
import { BareCases, DoudiCases, type CaseRun } from './cases';
import type { System } from './rounds';

export interface Session {
  target: Target;
  /** Short name in tables. */
  name: string;
  client: Client;
  serverVersion: string;
  run: Record<System, () => Promise<CaseRun>>;
  close(): Promise<void>;
}

export async function openSession(target: Target, name: string): Promise<Session> {
  const bareQueue = `bare-bench-${process.pid}`;
  const bareWorker = spawnTs('bare worker', join(PROJECT_ROOT, 'bench', 'bare', 'worker.ts'), {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: target.temporalAddress,
      TEMPORAL_NAMESPACE: target.namespace,
      BARE_TASK_QUEUE: bareQueue,
      BARE_DATABASE_URL: target.bareDatabaseUrl,
    },
  });
  const connection = await Connection.connect({ address: target.temporalAddress });
  const client = new Client({ connection, namespace: target.namespace });
  const close = async () => {
    await connection.close();
    await bareWorker.stop();
    await target.stop();
  };
  try {
    await waitForLine(bareWorker, /^ready$/, 120_000);
    const serverVersion = (await client.workflowService.getSystemInfo({})).serverVersion ?? '?';
    const doudi = new DoudiCases(target);
    const bare = new BareCases(client, bareQueue, `${process.pid}-${name.replace(/[^a-z0-9]+/gi, '-')}`);
    return { target, name, client, serverVersion, run: { doudi: () => doudi.run(), bare: () => bare.run() }, close };
  } catch (err) {
    await close();
    throw err;
  }
}
