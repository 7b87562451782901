// `npm start`: the whole system on embedded defaults, in one terminal with prefixed logs.
// Embedded PostgreSQL (unless DATABASE_URL is set) → Temporal dev server (unless TEMPORAL_ADDRESS is set) →
// migrations and seed → worker and API as child processes. Ctrl-C stops everything; data stays under .data/.
import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../config';
import { prefixer, pipeLines } from './lib/log';
import { startEmbeddedPostgres, ensureDatabase, EmbeddedDb } from './lib/postgres';
import { startTemporalDevServer, DevServer } from './lib/temporal';
import { migrateAndSeed } from './migrate';
import { ensureDevIntegrator, type DevIntegrator } from './lib/dev-integrator';
import { startSecrets } from './lib/secrets';
import { ensureDevUsers, DevUser } from './lib/dev-users';
import { ensureWebBundle } from './lib/web-bundle';
import { ROLE_ZH } from '../domain/glossary-zh';

const say = prefixer('start');

async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, DOUDI_DATA_DIR: config.dataDir };
  startSecrets(config, env);
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const stop of stops.reverse()) await stop().catch((e) => say(`stop failed: ${(e as Error).message}`));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    if (!config.databaseUrl) {
      const port = Number(process.env.DOUDI_PG_PORT ?? 5433);
      const pg: EmbeddedDb = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'pg'),
        port,
        log: prefixer('postgres'),
      });
      stops.push(() => pg.stop());
      await ensureDatabase(pg.adminUrl, 'doudi');
      env.DATABASE_URL = pg.url('doudi');
      say(`embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(config.dataDir, 'pg')})`);
    }
    if (!process.env.TEMPORAL_ADDRESS) {
      const port = Number(process.env.DOUDI_TEMPORAL_PORT ?? 7233);
      const uiPort = Number(process.env.DOUDI_TEMPORAL_UI_PORT ?? 8233);
      const server: DevServer = await startTemporalDevServer({
        port,
        uiPort,
        dbFile: join(config.dataDir, 'temporal.db'),
        namespace: config.temporalNamespace,
        log: prefixer('temporal'),
      });
      stops.push(() => server.stop());
      env.TEMPORAL_ADDRESS = server.address;
      say(`Temporal dev server on ${server.address}`);
    }
    // The console's bundle builds (when stale) while the servers come up; the API serves it once ready.
    const bundle = ensureWebBundle(prefixer('web'));
    bundle.catch(() => undefined);
    await migrateAndSeed(env.DATABASE_URL!, prefixer('migrate'));
    devIntegrator = await ensureDevIntegrator(
      env.DATABASE_URL!,
      config.dataDir,
      process.env.DEV_INTEGRATOR_WEBHOOK_URL,
    );
    devUsers = await ensureDevUsers(env.DATABASE_URL!, config.dataDir);
    await bundle;
    for (const [name, entry] of [
      ['worker', 'worker.ts'],
      ['api', 'api/server.ts'],
    ] as const) {
      const child = runChild(name, entry, env);
      stops.unshift(() => stopChild(child)); // app processes stop before the servers they use
      child.once('exit', (code) => {
        if (!stopping) {
          say(`${name} exited with ${code}`);
          void stopAll(1);
        }
      });
    }
    await waitReady(`http://127.0.0.1:${config.port}/readyz`, 90_000);
    printWelcome(config, Date.now() - t0);
  } catch (err) {
    say(`start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
}

function runChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(PROJECT_ROOT, entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: PROJECT_ROOT,
  });
  const out = prefixer(name);
  pipeLines(child.stdout, out);
  pipeLines(child.stderr, out);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s`);
}

let devIntegrator: DevIntegrator | undefined;
let devUsers: { password: string; users: DevUser[] } | undefined;

function printWelcome(config: ReturnType<typeof loadConfig>, ms: number): void {
  const base = config.publicBaseUrl;
  const lines = [
    `Doudi is ready in ${(ms / 1000).toFixed(1)} s`,
    `  Console      ${base}/   (控制台)`,
    `  API          ${base}/api/v1   (readiness ${base}/readyz)`,
    `  API docs     ${base}/docs     (OpenAPI ${base}/openapi.json)`,
    process.env.TEMPORAL_ADDRESS
      ? `  Temporal     ${process.env.TEMPORAL_ADDRESS}`
      : `  Temporal UI  http://localhost:${process.env.DOUDI_TEMPORAL_UI_PORT ?? 8233}`,
    ...(devUsers
      ? [
          `Console sign-ins (user name, role, region), password for all: ${devUsers.password}  ` +
            `(kept in ${config.dataDir}/dev-password)`,
          ...devUsers.users.map(
            (u) =>
              `  ${u.username.padEnd(11)} ${u.role.padEnd(17)} ${u.regionCode.padEnd(10)} ` +
              `${ROLE_ZH[u.role]}${u.department ? ` ${u.department}` : ''}`,
          ),
        ]
      : []),
    'Bearer tokens on request: npm run token -- --role caseworker --region 410721100',
    ...(devIntegrator
      ? [
          `Development integrator "${devIntegrator.id}": X-Api-Key and webhook secret in ${devIntegrator.file}; ` +
            `webhook URL from DEV_INTEGRATOR_WEBHOOK_URL ` +
            `(${process.env.DEV_INTEGRATOR_WEBHOOK_URL ?? 'unset: no webhooks'})`,
        ]
      : []),
    'Ctrl-C stops everything; data stays in .data/.',
  ];
  for (const l of lines) say(l);
}

void main();
