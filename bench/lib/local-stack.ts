// The system as `npm start` runs it (scripts/start.ts itself, as a child process): embedded PostgreSQL, Temporal dev
// server on a file database, migrations and seed, worker and API as processes of their own; on free ports and in a
// throwaway data folder, so a bench never meets another run or a developer's .data/.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { freePort } from '../../scripts/lib/ports';
import { spawnTs, waitForHttp, type Proc } from '../../scripts/lib/processes';
import { ensureDatabase } from '../../scripts/lib/postgres';

export interface Target {
  /** What the figures were measured on, for the report. */
  label: string;
  apiBase: string; // http://host:port (without /api/v1)
  temporalAddress: string;
  namespace: string;
  jwtSecret: string;
  /** A database the bare workflow's rows may go to (same server as Doudi's, so both pay the same database). */
  bareDatabaseUrl: string;
  stop(): Promise<void>;
}

export async function startLocalStack(opts: {
  sqlitePragmas?: string;
  temporalAddress?: string;
  keep?: boolean;
  log?: (l: string) => void;
}): Promise<Target> {
  const dir = join(PROJECT_ROOT, '.tmp', `bench-stack-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // a root-run embedded PostgreSQL works as its own user and must reach its data folder
  const [port, pgPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const jwtSecret = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DOUDI_PG_PORT: String(pgPort),
    DOUDI_TEMPORAL_PORT: String(temporalPort),
    DOUDI_TEMPORAL_UI_PORT: String(uiPort),
    DOUDI_DATA_DIR: dir,
    AUTH_JWT_SECRET: jwtSecret,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  if (opts.temporalAddress) env.TEMPORAL_ADDRESS = opts.temporalAddress;
  if (opts.sqlitePragmas !== undefined) env.DOUDI_TEMPORAL_SQLITE_PRAGMAS = opts.sqlitePragmas;
  const logFile = join(dir, 'start.log');
  writeFileSync(logFile, '');
  const start: Proc = spawnTs('npm start', join(PROJECT_ROOT, 'scripts', 'start.ts'), {
    env,
    cwd: PROJECT_ROOT,
    group: true,
    log: (l) => {
      appendFileSync(logFile, `${l}\n`);
      opts.log?.(l);
    },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 240_000, start);
  } catch (err) {
    await start.stop();
    throw err;
  }
  const pgAdmin = `postgres://doudi:doudi@127.0.0.1:${pgPort}/postgres`; // scripts/lib/postgres.ts's embedded credentials
  await ensureDatabase(pgAdmin, 'bench_bare');
  return {
    label: opts.temporalAddress
      ? `npm start against Temporal at ${opts.temporalAddress}`
      : 'npm start (embedded PostgreSQL, Temporal dev server)',
    apiBase: `http://127.0.0.1:${port}`,
    temporalAddress: opts.temporalAddress ?? `127.0.0.1:${temporalPort}`,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    jwtSecret,
    bareDatabaseUrl: `postgres://doudi:doudi@127.0.0.1:${pgPort}/bench_bare`,
    async stop() {
      await start.stop(60_000); // as Ctrl-C: SIGINT to start.ts and its worker, API and servers
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
