// bench/throughput.ts --topology: the production topology of scripts/production/ as the system under test, in a
// throwaway folder, with a scratch database for the bare workflow's rows on the same PostgreSQL.
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { databaseUrlFor, ensureDatabase } from '../../scripts/lib/postgres';
import { startTopology } from '../../scripts/production/topology';
import type { Target } from './local-stack';

export async function startTopologyTarget(opts: { keep?: boolean; workers?: number }): Promise<Target> {
  const t = await startTopology({
    dir: join(PROJECT_ROOT, '.tmp', `bench-topology-${process.pid}`),
    fresh: true,
    workers: opts.workers,
  });
  const bareDatabaseUrl = databaseUrlFor(t.databaseUrl, 'bench_bare');
  await ensureDatabase(databaseUrlFor(t.databaseUrl, 'postgres'), 'bench_bare');
  return {
    label: `production topology (Temporal ${t.serverVersion} on PostgreSQL, ${t.workers.length} workers, API)`,
    apiBase: t.apiBase,
    temporalAddress: t.temporalAddress,
    namespace: t.namespace,
    jwtSecret: t.jwtSecret,
    bareDatabaseUrl,
    async stop() {
      await t.stop();
      if (!opts.keep) (await import('node:fs')).rmSync(t.dir, { recursive: true, force: true });
    },
  };
}
