// The real stack for one end-to-end test file: a worker with the real activities, the API on a free port.
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createKnex } from '../../data/db';
import { createActivities } from '../../processes';
import { activityInterceptors } from '../../engine/activities/interceptors';
import { withWorkflowThreads } from '../../engine/workflow-threads';
import { transportsFromEnv } from '../../engine/notifications/transports';
import { withIntegratorWebhooks } from '../../engine/notifications/integrator-webhooks';
import { startDispatcher } from '../../engine/notifications/dispatcher';
import { createApp } from '../../api/app';
import { CaseEngine } from '../../engine/client';
import { signToken, type User } from '../../api/http/auth';
import { loadConfig, type Config } from '../../config';
import { type Role } from '../../domain/glossary';
import { workflowBundle } from '../workflow/bundle';
import { E2E_ENV_FILE } from './global-setup';
import { AesGcmPayloadCodec, parsePayloadKeys, payloadDataConverter } from '../../engine/payload-codec';

let runtimeInstalled = false;

/** The run's ID number keys (test/support/global-setup.ts), for this process and the workers it spawns. */
export function useE2eIdKeys(): void {
  const { idKeys, payloadKey } = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as {
    idKeys: string;
    payloadKey: string;
  };
  process.env.DOUDI_ID_KEYS = idKeys;
  process.env.DOUDI_PAYLOAD_KEY = payloadKey;
}

export interface Stack {
  baseUrl: string;
  /** The database as its owner, for fixtures and checks; the API and worker use the application role. */
  db: Knex;
  client: Client;
  /** The API's engine and configuration (its task queue), for tests that run a second API beside it. */
  engine: CaseEngine;
  config: Config;
  dataDir: string;
  token(role: Role, region?: string, sub?: string): string;
  /** A token for any claims (a department's, say), signed as the stack's API expects. */
  sign(user: User): string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * `taskQueue` / `worker: false`: the API on a queue no in-process worker serves, for a test that runs its workers as
 * separate processes (test/e2e/worker-kill.test.ts).
 */
export async function startStack(opts: { taskQueue?: string; worker?: boolean } = {}): Promise<Stack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as {
    databaseUrl: string;
    appDatabaseUrl: string;
    temporalAddress: string;
  };
  useE2eIdKeys();
  const dataDir = mkdtempSync(join(tmpdir(), 'doudi-e2e-'));
  const config = {
    ...loadConfig({ PORT: '0', DOUDI_DATA_DIR: dataDir }),
    jwtSecret: randomBytes(32).toString('hex'),
    databaseUrl: env.databaseUrl,
    temporalAddress: env.temporalAddress,
    taskQueue: opts.taskQueue ?? `e2e-${process.pid}`,
  };
  const db = createKnex(env.databaseUrl);
  const appDb = createKnex(env.appDatabaseUrl);
  const transports = withIntegratorWebhooks(transportsFromEnv({ WEBHOOK_ALLOW_HTTP: 'true' }, dataDir), appDb, {
    WEBHOOK_ALLOW_HTTP: 'true',
  });
  // Workers and clients encrypt payloads as in production (engine/payload-codec.ts).
  const payloadKeys = parsePayloadKeys(process.env.DOUDI_PAYLOAD_KEY!, 'e2e');
  const dataConverter = payloadDataConverter(payloadKeys);
  const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection, namespace: 'default', dataConverter });
  const worker =
    opts.worker === false
      ? undefined
      : // As worker.ts runs it: workflow threads without stack traces (engine/workflow-threads.ts).
        await withWorkflowThreads(config.workflowStackTraces, async () =>
          Worker.create({
            connection: nativeConnection,
            namespace: 'default',
            taskQueue: config.taskQueue,
            workflowBundle: await workflowBundle(),
            dataConverter,
            activities: createActivities({
              db: appDb,
              transports,
              temporal: { client, taskQueue: config.taskQueue },
            }),
            interceptors: { activity: activityInterceptors },
          }),
        );
  const running = worker?.run();
  const engine = new CaseEngine(client, config.taskQueue);
  const app = createApp({
    db: appDb,
    engine,
    config,
    payloadCodec: new AesGcmPayloadCodec(payloadKeys),
  });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The outbox dispatcher, started last so a failed start leaves nothing running; it polls often and retries fast
  // (200 ms, 400 ms … capped at 1 s) so tests see deliveries and retries soon.
  const stopDispatcher = startDispatcher(
    appDb,
    transports,
    100,
    () => undefined,
    (attempts) => Math.min(200 * attempts, 1_000),
  );

  return {
    baseUrl,
    db,
    client,
    engine,
    config,
    dataDir,
    token: (role, region = '410721100', sub = `test-${role}`) => signToken(config.jwtSecret, { sub, role, region }),
    sign: (user) => signToken(config.jwtSecret, user),
    async call(method, path, opts = {}) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body:
          opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      });
      const text = await res.text();
      let body: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await new Promise((r) => server.close(r));
      await stopDispatcher();
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await appDb.destroy();
      await db.destroy();
    },
  };
}
