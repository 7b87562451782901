// Task completions per second, Doudi against bare Temporal, in one run:
//   npx tsx bench/throughput.ts [--levels 1,8,32] [--rounds 3] [--cases N] [--sqlite-pragmas P]
//                               [--temporal-address host:port [--api http://host:port --database-url postgres://…]]
// Without addresses it starts the system as `npm start` does (bench/lib/local-stack.ts) on free ports; with
// --temporal-address alone it starts PostgreSQL, worker and API against that Temporal; with --api too it starts nothing
// of Doudi's (AUTH_JWT_SECRET must be the API's; --database-url names a scratch database for the bare rows).
// Either way it runs the bare workflow (bench/bare/) on a worker process of its own and its own task queue.
// Per level (cases in flight), rounds alternate Doudi and bare; then the histories give the events, activities and
// workflow tasks one completion costs. Prints tables, writes bench/results/throughput-<date>.json. Asserts nothing.
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT, loadConfig } from '../config';
import { spawnTs, waitForLine } from '../scripts/lib/processes';
import { parseArgs, numberList } from './lib/args';
import { startLocalStack, type Target } from './lib/local-stack';
import { BareCases, DoudiCases, STEPS, COMPLETIONS_PER_CASE } from './throughput/cases';
import { runRound, type Round, type System } from './throughput/rounds';
import { fetchEvents, mapLimit, segmentHistory, type CaseHistory } from './throughput/histories';
import { costTables, summarise, summariseCosts, throughputTable, type CostSummary } from './throughput/report';

const args = parseArgs(process.argv.slice(2), {
  levels: 'value', rounds: 'value', cases: 'value', 'temporal-address': 'value', api: 'value', 'database-url': 'value',
  namespace: 'value', 'sqlite-pragmas': 'value', label: 'value', out: 'value', keep: 'flag',
});
const LEVELS = numberList(args.get('levels') ?? '1,8,32');
const ROUNDS = Number(args.get('rounds') ?? 3);
const casesFor = (level: number) => Number(args.get('cases') ?? Math.max(10, 3 * level));
const say = (m: string) => process.stderr.write(`[throughput] ${m}\n`);

async function target(): Promise<Target> {
  const temporalAddress = args.get('temporal-address');
  const api = args.get('api');
  if (api) {
    const databaseUrl = args.get('database-url') ?? process.env.DATABASE_URL;
    if (!temporalAddress || !databaseUrl) throw new Error('--api needs --temporal-address and --database-url (or DATABASE_URL) too');
    return {
      label: `API ${api}, Temporal ${temporalAddress}`, apiBase: api.replace(/\/+$/, '').replace(/\/api\/v1$/, ''), temporalAddress,
      namespace: args.get('namespace') ?? loadConfig().temporalNamespace, jwtSecret: loadConfig().jwtSecret, bareDatabaseUrl: databaseUrl,
      stop: async () => undefined,
    };
  }
  return startLocalStack({ temporalAddress, sqlitePragmas: args.get('sqlite-pragmas'), keep: args.has('keep') });
}

async function main(): Promise<void> {
  const t = await target();
  say(`target: ${t.label}`);
  const bareQueue = `bare-bench-${process.pid}`;
  const bareWorker = spawnTs('bare worker', join(__dirname, 'bare', 'worker.ts'), {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: t.temporalAddress, TEMPORAL_NAMESPACE: t.namespace, BARE_TASK_QUEUE: bareQueue, BARE_DATABASE_URL: t.bareDatabaseUrl },
  });
  const connection = await Connection.connect({ address: t.temporalAddress });
  const client = new Client({ connection, namespace: t.namespace });
  try {
    await waitForLine(bareWorker, /^ready$/, 120_000);
    const serverVersion = (await client.workflowService.getSystemInfo({})).serverVersion;
    const doudi = new DoudiCases(t);
    const bare = new BareCases(client, bareQueue, String(process.pid));
    const runners: Record<System, () => ReturnType<DoudiCases['run']>> = { doudi: () => doudi.run(), bare: () => bare.run() };

    say(`Temporal ${serverVersion}; warming up`);
    for (const system of ['doudi', 'bare'] as System[]) await runRound(system, Math.min(4, Math.max(...LEVELS)), 0, 8, runners[system]);

    const rounds: Round[] = [];
    for (const level of LEVELS) {
      for (let r = 1; r <= ROUNDS; r++) {
        // Alternating which system goes first cancels a drift (a growing database, a warming cache) between the two.
        for (const system of (r % 2 ? ['doudi', 'bare'] : ['bare', 'doudi']) as System[]) {
          const round = await runRound(system, level, r, casesFor(level), runners[system]);
          rounds.push(round);
          say(`level ${level} round ${r} ${system}: ${round.completionsPerS.toFixed(1)} completions/s (${round.cases} cases in ${(round.wallMs / 1000).toFixed(1)} s)`);
        }
      }
    }

    say('reading the histories');
    const costs: CostSummary[] = [];
    for (const level of LEVELS) {
      for (const system of ['doudi', 'bare'] as System[]) {
        const ids = rounds.filter((r) => r.level === level && r.system === system).flatMap((r) => r.workflowIds);
        const histories = await mapLimit(ids, 8, async (id) => segmentHistory(id, await fetchEvents(client, id), system === 'doudi'
          ? (name, arg) => (name === 'completeTask' ? String((arg as { taskId?: string })?.taskId ?? '?').split(':')[1] : name === 'settled' ? 'start' : name)
          : (name, arg) => (name === 'step' ? String((arg as { step?: string })?.step) : name)));
        const children: CaseHistory[] = await mapLimit(histories.flatMap((h) => h.children), 8, async (id) => segmentHistory(id, await fetchEvents(client, id), (n) => n));
        costs.push(summariseCosts(system, level, histories, children, COMPLETIONS_PER_CASE));
      }
    }

    const summary = summarise(rounds);
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const heading = `${t.label}; Temporal server ${serverVersion}${args.get('sqlite-pragmas') !== undefined ? `; DOUDI_TEMPORAL_SQLITE_PRAGMAS=${args.get('sqlite-pragmas')}` : ''}`;
    console.log(`\nThroughput: Doudi (HTTP API: POST /applications, then ${STEPS.map((s) => s.type).join(', ')}) vs bare Temporal (start, then ${COMPLETIONS_PER_CASE} Updates, one activity writing one row each)`);
    console.log(`${heading}\n${machine}; ${ROUNDS} rounds per level, alternating; cases per round: ${LEVELS.map((l) => `${l} in flight → ${casesFor(l)}`).join(', ')}`);
    console.log(`latency = one completion (POST /tasks/:id/complete, or executeUpdate), client-side; start = POST /applications (with its wait for the first task), or workflow start\n`);
    console.log(throughputTable(summary));
    console.log('\nTemporal cost, from the histories (mean per case; a step = from the workflow task that accepted its Update to the next Update):');
    console.log(costTables(costs, STEPS.map((s) => s.type)));

    const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
    const out = args.get('out') ?? join(PROJECT_ROOT, 'bench', 'results', `throughput-${stamp}${args.get('label') ? `-${args.get('label')}` : ''}.json`);
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify({
      date: new Date().toISOString(), target: t.label, serverVersion, machine, sqlitePragmas: args.get('sqlite-pragmas') ?? null, label: args.get('label') ?? null,
      levels: LEVELS, roundsPerLevel: ROUNDS, summary, costs,
      rounds: rounds.map(({ workflowIds: _ids, completionMs, startMs, ...r }) => ({ ...r, completionMsSorted: [...completionMs].sort((a, b) => a - b).map((x) => Math.round(x * 10) / 10), startMsSorted: [...startMs].sort((a, b) => a - b).map((x) => Math.round(x * 10) / 10) })),
    }, null, 2)}\n`);
    console.log(`\nJSON: ${out}`);
  } finally {
    await connection.close();
    await bareWorker.stop();
    await t.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
