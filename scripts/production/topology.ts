// The production topology of docker-compose.yml as plain processes on this machine: PostgreSQL → Temporal server on
// PostgreSQL (built from source, build.ts) with namespace and search attributes → migrate → two workers and the API,
// each a process of its own with compose's environment. `npm run topology` (run.ts) for a terminal; the topology test
// (test/topology/) and bench/throughput.ts --topology start it through startTopology().
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { signToken } from '../../api/http/auth';
import type { Role } from '../../domain/glossary';
import { freePort, freePortIn } from '../lib/ports';
import { spawnTs, waitForHttp, waitForLine, type Proc } from '../lib/processes';
import { ensureTemporalServer, TEMPORAL_SERVER_VERSION } from './build';
import { applyTemporalSchemas, prepareDatabases } from './database';
import { writeTemporalConfig, type TemporalPorts } from './temporal-config';
import { startTemporalServer } from './temporal-server';
import { appEnv } from './app-env';

export interface TopologyOptions {
  /** State and logs; default DOUDI_TOPOLOGY_DIR or .data/topology. */
  dir?: string;
  /** Start from empty databases (tests); otherwise the data of the previous run is kept, as compose's volumes are. */
  fresh?: boolean;
  workers?: number;
  /** Ports; any not given is a free one (PORT, DOUDI_TEMPORAL_PORT, DOUDI_PG_PORT when run.ts passes them). */
  apiPort?: number;
  temporalPort?: number;
  pgPort?: number;
  /** An external PostgreSQL (its user creates the temporal role and databases) instead of the embedded one. */
  databaseUrl?: string;
  /** Called with every line of every component, prefixed with its name. */
  log?: (component: string, line: string) => void;
}

export interface Topology {
  dir: string;
  apiBase: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  jwtSecret: string;
  /** DOUDI_DATA_DIR of the api and workers: the payload key a client needs to read a workflow's result. */
  dataDir: string;
  serverVersion: string;
  buildMs: number;
  workers: Proc[];
  api: Proc;
  temporal: Proc;
  token(role: Role, region?: string): string;
  /** Starts one more worker process (after a kill, say), as `docker compose up` would replace a dead replica. */
  addWorker(): Promise<Proc>;
  stop(): Promise<void>;
}

export async function startTopology(opts: TopologyOptions = {}): Promise<Topology> {
  const dir = opts.dir ?? process.env.DOUDI_TOPOLOGY_DIR ?? join(PROJECT_ROOT, '.data', 'topology');
  if (opts.fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  chmodSync(dir, 0o755); // a root-run embedded PostgreSQL works as its own user and must reach its data folder
  const logTo = (name: string) => (line: string) => {
    appendFileSync(join(dir, 'logs', `${name}.log`), `${line}\n`);
    opts.log?.(name, line);
  };
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse())
      await s().catch((e) => logTo('topology')(`stop failed: ${(e as Error).message}`));
  };
  try {
    const bins = ensureTemporalServer(logTo('build'));
    const secret = (file: string, from?: string) => {
      const p = join(dir, file);
      if (from) return from;
      if (!existsSync(p)) writeFileSync(p, randomBytes(24).toString('hex'), { mode: 0o600 });
      return readFileSync(p, 'utf8').trim();
    };
    const db = await prepareDatabases({
      dataDir: dir,
      pgPort: opts.pgPort ?? (await freePort()),
      databaseUrl: opts.databaseUrl,
      temporalPassword: secret('temporal-db-password', process.env.TEMPORAL_DB_PASSWORD),
      appPassword: secret('app-db-password', undefined),
      log: logTo('postgres'),
    });
    stops.push(() => db.stop());
    applyTemporalSchemas(bins, db.temporal, logTo('schema'));

    // Membership ports go into cluster_membership.rpc_port, a SMALLINT: they must be below 32768, where the kernel's
    // free ports are not. DOUDI_TEMPORAL_MEMBERSHIP_PORTS (default 17000-17999) is the range they are picked from.
    const [lo, hi] = (process.env.DOUDI_TEMPORAL_MEMBERSHIP_PORTS ?? '17000-17999').split('-').map(Number);
    const member = () => freePortIn(lo, hi);
    const ports: TemporalPorts = {
      frontend: opts.temporalPort ?? (await freePort()),
      frontendHttp: await freePort(),
      frontendMembership: await member(),
      history: await freePort(),
      historyMembership: await member(),
      matching: await freePort(),
      matchingMembership: await member(),
      worker: await freePort(),
      workerMembership: await member(),
    };
    const temporalRoot = join(dir, 'temporal');
    writeTemporalConfig(temporalRoot, db.temporal, ports);
    const temporalAddress = `127.0.0.1:${ports.frontend}`;
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    const temporal = await startTemporalServer({
      bins,
      root: temporalRoot,
      address: temporalAddress,
      port: ports.frontend,
      namespace,
      log: logTo('temporal'),
    });
    stops.push(() => temporal.stop(30_000));

    const apiPort = opts.apiPort ?? (await freePort());
    const jwtSecret = secret('auth-jwt-secret', process.env.AUTH_JWT_SECRET);
    const dataDir = join(dir, 'doudi-data'); // compose's doudi-data volume, shared by the worker replicas
    mkdirSync(dataDir, { recursive: true });
    const env = appEnv({
      DATABASE_URL: db.appUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      AUTH_JWT_SECRET: jwtSecret,
      PORT: String(apiPort),
      DOUDI_DATA_DIR: dataDir,
    });
    const app = (name: string, entry: string, processEnv = env) =>
      spawnTs(name, join(PROJECT_ROOT, entry), { env: processEnv, cwd: PROJECT_ROOT, log: logTo(name) });

    // compose's migrate service: once, to completion, before api and workers; as the owner, who grants doudi_app.
    const migrate = app('migrate', 'scripts/migrate.ts', { ...env, DATABASE_URL: db.doudiUrl });
    const code = await migrate.exited;
    if (code !== 0) throw new Error(`migrate exited with ${code}\n${migrate.tail()}`);

    const workers: Proc[] = [];
    let workerSeq = 0;
    const addWorker = async () => {
      const w = app(`worker-${++workerSeq}`, 'worker.ts');
      workers.push(w);
      await waitForLine(w, /worker polling task queue/, 120_000);
      return w;
    };
    // Workers stop before the server (SIGTERM: in-flight activities finish; compose's stop_grace_period is 60 s).
    stops.push(() => Promise.all(workers.map((w) => w.stop(60_000))).then(() => undefined));
    await Promise.all(Array.from({ length: opts.workers ?? 2 }, () => addWorker()));
    const api = app('api', 'api/server.ts');
    stops.push(() => api.stop());
    const apiBase = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiBase}/readyz`, 120_000, api);

    return {
      dir,
      apiBase,
      temporalAddress,
      namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE!,
      databaseUrl: db.doudiUrl,
      jwtSecret,
      dataDir,
      serverVersion: TEMPORAL_SERVER_VERSION,
      buildMs: bins.buildMs,
      workers,
      api,
      temporal,
      addWorker,
      token: (
        role,
        region = role === 'county_officer' || role === 'supervisor' || role === 'admin' ? '410721' : '410721100',
      ) => signToken(jwtSecret, { sub: `topology-${role}`, role, region }),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
