// `npm start`: the whole system on embedded defaults, in one terminal with prefixed logs.
// Embedded PostgreSQL (unless DATABASE_URL is set) → Temporal dev server (unless TEMPORAL_ADDRESS is set) →
// migrations and seed → worker and API as child processes, all watched by the supervisor (scripts/lib/supervisor.ts):
// one that dies is restarted. The API and worker connect as the application role (scripts/lib/app-role.ts). Ctrl-C
// stops everything, the API first; data stays under .data/.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadConfig, PROJECT_ROOT } from '../config';
import { prefixer } from './lib/log';
import { startEmbeddedPostgres, ensureDatabase, type EmbeddedDb } from './lib/postgres';
import { startTemporalDevServer } from './lib/temporal';
import { migrateAndSeed } from './migrate';
import { ensureDevIntegrator, type DevIntegrator } from './lib/dev-integrator';
import { startSecrets } from './lib/secrets';
import { ensureDevUsers, DevUser } from './lib/dev-users';
import { ensureWebBundle } from './lib/web-bundle';
import { ROLE_ZH } from '../domain/glossary-zh';
import { loadPayloadKeys } from '../engine/payload-codec';
import { createKnex } from '../data/db';
import { appRolePassword, appRoleUrl, ensureAppRole } from './lib/app-role';
import { spawnTs, waitForLine } from './lib/processes';
import { Supervisor, type Running } from './lib/supervisor';

const say = prefixer('start');

async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, DOUDI_DATA_DIR: config.dataDir };
  // The JWT secret (scripts/lib/secrets.ts) and the payload key (engine/payload-codec.ts): from the environment, else
  // made once in the data folder, here, before the worker and the API both look for them.
  startSecrets(config, env);
  loadPayloadKeys(env);
  const supervisor = new Supervisor(say);
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await supervisor.stopAll();
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    let ownerUrl = env.DATABASE_URL;
    if (!config.databaseUrl) {
      const port = Number(process.env.DOUDI_PG_PORT ?? 5433);
      const dataDir = join(config.dataDir, 'pg');
      let pg: EmbeddedDb | undefined;
      await supervisor.add({
        name: 'postgres',
        start: async () => {
          if (pg) await pg.restart();
          else pg = await startEmbeddedPostgres({ dataDir, port, log: prefixer('postgres') });
          const db = pg;
          return { exited: db.exited(), stop: () => db.stop(), describe: `127.0.0.1:${port}` };
        },
      });
      await ensureDatabase(pg!.adminUrl, 'doudi');
      ownerUrl = pg!.url('doudi');
      say(`embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
    }
    if (!process.env.TEMPORAL_ADDRESS) {
      const port = Number(process.env.DOUDI_TEMPORAL_PORT ?? 7233);
      const uiPort = Number(process.env.DOUDI_TEMPORAL_UI_PORT ?? 8233);
      await supervisor.add({
        name: 'temporal',
        start: async () => {
          const server = await startTemporalDevServer({
            port,
            uiPort,
            dbFile: join(config.dataDir, 'temporal.db'),
            namespace: config.temporalNamespace,
            codecEndpoint: `${config.publicBaseUrl}/codec`,
            log: prefixer('temporal'),
          });
          const exited = new Promise((r) => server.process.once('exit', r));
          return { exited, stop: () => server.stop(), describe: `pid ${server.process.pid}, ${server.address}` };
        },
      });
      env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
      say(`Temporal dev server on ${env.TEMPORAL_ADDRESS}`);
    }
    // The console's bundle builds (when stale) while the servers come up; the API serves it once ready.
    const bundle = ensureWebBundle(prefixer('web'));
    bundle.catch(() => undefined);
    if (!config.databaseUrl) {
      // The embedded database's owner may create roles: the API and worker get the append-only one.
      const owner = createKnex(ownerUrl!, { min: 0, max: 1 });
      const password = appRolePassword(config.dataDir);
      await ensureAppRole(owner, password).finally(() => owner.destroy());
      env.DATABASE_URL = appRoleUrl(ownerUrl!, password);
    }
    await migrateAndSeed(ownerUrl!, prefixer('migrate'));
    devIntegrator = await ensureDevIntegrator(ownerUrl!, config.dataDir, process.env.DEV_INTEGRATOR_WEBHOOK_URL);
    devUsers = await ensureDevUsers(ownerUrl!, config.dataDir);
    await bundle;
    await supervisor.add(appService('worker', 'worker.ts', env, /worker polling task queue/));
    await supervisor.add(appService('api', 'api/server.ts', env, /API listening on/));
    await waitReady(`http://127.0.0.1:${config.port}/readyz`, 90_000);
    printWelcome(config, Date.now() - t0);
  } catch (err) {
    say(`start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
}

/** The worker or the API as a child process (node --import tsx: the pid is the program's, a kill reaches it). */
function appService(name: string, entry: string, env: NodeJS.ProcessEnv, ready: RegExp) {
  return {
    name,
    start: async (): Promise<Running> => {
      const proc = spawnTs(name, join(PROJECT_ROOT, entry), { env, cwd: PROJECT_ROOT, log: prefixer(name) });
      try {
        await waitForLine(proc, ready, 120_000);
      } catch (err) {
        await proc.kill();
        throw err;
      }
      return { exited: proc.exited, stop: () => proc.stop(), describe: `pid ${proc.pid}` };
    },
  };
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(3_000) })).ok) return;
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
