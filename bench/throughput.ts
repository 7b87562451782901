// Task completions per second, Doudi against bare Temporal, in one run:
//   npx tsx bench/throughput.ts [--levels 1,8,32] [--rounds 3] [--cases N] [--sqlite-pragmas P[|P2…]]
//                               [--temporal-address host:port [--api http://host:port --database-url postgres://…]]
//                               [--topology | --compare-topology] [--topology-workers N]
// Without addresses it starts the system as `npm start` does (bench/lib/local-stack.ts) on free ports; with
// --temporal-address alone it starts PostgreSQL, worker and API against that Temporal; with --api too it starts nothing
// of Doudi's (AUTH_JWT_SECRET must be the API's; --database-url names a scratch database for the bare rows).
// --topology starts the production topology (scripts/production/: Temporal on PostgreSQL, two workers by default);
// --compare-topology starts it beside an `npm start` system and interleaves the two.
// --sqlite-pragmas 'none|journal_mode=wal,synchronous=full|…' starts one `npm start` per setting of the dev server's
// SQLite (DOUDI_TEMPORAL_SQLITE_PRAGMAS) and interleaves their rounds, so they are compared under the same load.
// Every system under test also runs the bare workflow (bench/bare/) on a worker process and task queue of its own.
// Per level (cases in flight), rounds alternate Doudi and bare; then the histories give the events, activities and
// workflow tasks one completion costs. Prints tables, writes bench/results/throughput-<date>.json. Asserts nothing.
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, loadConfig, resolveJwtSecret } from '../config';
import { parseArgs, numberList, table } from './lib/args';
import { startLocalStack, type Target } from './lib/local-stack';
import { STEPS, COMPLETIONS_PER_CASE } from './throughput/cases';
import { runRound, type Round, type System } from './throughput/rounds';
import { fetchEvents, mapLimit, segmentHistory, type CaseHistory } from './throughput/histories';
import {
  costTables,
  cpuTable,
  threadCpuTable,
  summarise,
  summariseCosts,
  throughputTable,
  type CostSummary,
} from './throughput/report';
import { openSession, type Session } from './throughput/session';

const args = parseArgs(process.argv.slice(2), {
  levels: 'value',
  rounds: 'value',
  cases: 'value',
  'temporal-address': 'value',
  api: 'value',
  'database-url': 'value',
  namespace: 'value',
  'sqlite-pragmas': 'value',
  label: 'value',
  out: 'value',
  keep: 'flag',
  topology: 'flag',
  'compare-topology': 'flag',
  'topology-workers': 'value',
});
const LEVELS = numberList(args.get('levels') ?? '1,8,32');
const ROUNDS = Number(args.get('rounds') ?? 3);
const casesFor = (level: number) => Number(args.get('cases') ?? Math.max(10, 3 * level));
const say = (m: string) => process.stderr.write(`[throughput] ${m}\n`);

async function targets(): Promise<{ name: string; start: () => Promise<Target> }[]> {
  const temporalAddress = args.get('temporal-address');
  const api = args.get('api');
  const workers = Number(args.get('topology-workers') ?? 2);
  const topology = {
    name: `topology (${workers} workers)`,
    start: async () => (await import('./lib/topology-target')).startTopologyTarget({ keep: args.has('keep'), workers }),
  };
  if (args.has('topology')) return [topology];
  if (api) {
    const databaseUrl = args.get('database-url') ?? process.env.DATABASE_URL;
    if (!temporalAddress || !databaseUrl)
      throw new Error('--api needs --temporal-address and --database-url (or DATABASE_URL) too');
    return [
      {
        name: 'given',
        start: async () => ({
          label: `API ${api}, Temporal ${temporalAddress}`,
          apiBase: api.replace(/\/+$/, '').replace(/\/api\/v1$/, ''),
          temporalAddress,
          namespace: args.get('namespace') ?? loadConfig().temporalNamespace,
          jwtSecret: resolveJwtSecret(loadConfig(), false),
          bareDatabaseUrl: databaseUrl,
          stop: async () => undefined,
        }),
      },
    ];
  }
  const pragmas = args.get('sqlite-pragmas')?.split('|');
  const local = (pragmas ?? [undefined]).map((p) => ({
    // Short names for the tables: 'journal_mode=wal,synchronous=normal' → 'WAL+NORMAL'.
    name:
      p === undefined
        ? 'npm start'
        : p === 'none'
          ? 'CLI defaults'
          : p
              .split(',')
              .map((kv) => kv.split('=')[1]?.toUpperCase() ?? kv)
              .join('+'),
    start: async () => {
      const t = await startLocalStack({ temporalAddress, sqlitePragmas: p, keep: args.has('keep') });
      return p === undefined ? t : { ...t, label: `${t.label}, DOUDI_TEMPORAL_SQLITE_PRAGMAS=${p}` };
    },
  }));
  return args.has('compare-topology') ? [...local, topology] : local;
}

async function main(): Promise<void> {
  const sessions: Session[] = [];
  // Ctrl-C stops what was started (npm start's process groups, the bare workers) instead of orphaning it.
  const interrupted = () => {
    say('interrupted: stopping');
    void Promise.all(sessions.map((s) => s.close().catch(() => undefined))).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const t of await targets()) {
      say(`starting ${t.name}`);
      sessions.push(await openSession(await t.start(), t.name));
    }
    say('warming up');
    for (const s of sessions)
      for (const system of ['doudi', 'bare'] as System[])
        await runRound(s.name, system, Math.min(4, Math.max(...LEVELS)), 0, 8, s.run[system]);

    const rounds: Round[] = [];
    for (const level of LEVELS) {
      for (let r = 1; r <= ROUNDS; r++) {
        // Alternating the order (systems, and sessions when several) cancels a drift — a growing database, a warming
        // cache, other load on the machine — between the things compared.
        const order = r % 2 ? sessions : [...sessions].reverse();
        for (const s of order) {
          for (const system of (r % 2 ? ['doudi', 'bare'] : ['bare', 'doudi']) as System[]) {
            const round = await runRound(s.name, system, level, r, casesFor(level), s.run[system]);
            rounds.push(round);
            const early = round.earlyCompletions ? `; ${round.earlyCompletions} completions met 404 first` : '';
            const wall = `${round.cases} cases in ${(round.wallMs / 1000).toFixed(1)} s`;
            say(
              `${s.name}: level ${level} round ${r} ${system}: ${round.completionsPerS.toFixed(1)}/s (${wall})${early}`,
            );
          }
        }
      }
    }

    say('reading the histories');
    const costs: Record<string, CostSummary[]> = {};
    for (const s of sessions)
      costs[s.name] = await historyCosts(
        s,
        rounds.filter((r) => r.target === s.name),
      );

    const cpu = cpus();
    const gib = (totalmem() / 2 ** 30).toFixed(0);
    const machine = `${cpu.length} × ${cpu[0]?.model ?? '?'}, ${gib} GiB, Node ${process.version}`;
    const perRound = LEVELS.map((l) => `${l} in flight → ${casesFor(l)}`).join(', ');
    console.log(
      `\nThroughput: Doudi (HTTP API: POST /applications, then ${STEPS.map((s) => s.type).join(', ')}) vs bare ` +
        `Temporal (start, then ${COMPLETIONS_PER_CASE} Updates, one activity writing one row each)`,
    );
    console.log(`${machine}; ${ROUNDS} rounds per level, alternating; cases per round: ${perRound}`);
    console.log(
      'latency = one completion (POST /tasks/:id/complete, or executeUpdate), client-side; ' +
        'start = POST /applications (with its wait for the first task), or workflow start',
    );
    const summaries = Object.fromEntries(
      sessions.map((s) => [s.name, summarise(rounds.filter((r) => r.target === s.name))]),
    );
    for (const s of sessions) {
      console.log(`\n== ${s.target.label}; Temporal server ${s.serverVersion}\n${throughputTable(summaries[s.name])}`);
      const early = rounds.filter((r) => r.target === s.name).reduce((n, r) => n + r.earlyCompletions, 0);
      if (early)
        console.log(
          `${early} Doudi completions were answered 404 at first (the task row of a parallel branch not written yet ` +
            'when the previous completion answered) and succeeded on a retry; their latency includes the wait',
        );
    }
    for (const s of sessions)
      console.log(
        `\n== CPU per completion on ${s.name}, by process (/proc; ms of CPU over the round's completions)\n` +
          cpuTable(
            rounds.filter((r) => r.target === s.name),
            COMPLETIONS_PER_CASE,
          ) +
          '\n\nby thread of the Node processes ("main": the JS main thread, where activities run; "node": unnamed ' +
          "threads, among them the SDK's workflow threads (worker_threads), libuv's pool and V8's; tokio-runtime-w " +
          'and workflow-proces: the Rust core)\n' +
          threadCpuTable(
            rounds.filter((r) => r.target === s.name),
            COMPLETIONS_PER_CASE,
          ),
      );
    if (sessions.length > 1)
      console.log(`\n== completions/s side by side (median of the rounds)\n${comparison(sessions, summaries)}`);
    for (const s of sessions) {
      console.log(
        `\n== Temporal cost on ${s.name}, from the histories (mean per case; a step runs from the workflow task ` +
          'that accepted its Update to the next Update):',
      );
      console.log(
        costTables(
          costs[s.name],
          STEPS.map((x) => x.type),
        ),
      );
    }

    const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
    const out =
      args.get('out') ??
      join(
        PROJECT_ROOT,
        'bench',
        'results',
        `throughput-${stamp}${args.get('label') ? `-${args.get('label')}` : ''}.json`,
      );
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine,
          label: args.get('label') ?? null,
          levels: LEVELS,
          roundsPerLevel: ROUNDS,
          sessions: sessions.map((s) => ({
            name: s.name,
            target: s.target.label,
            serverVersion: s.serverVersion,
            summary: summaries[s.name],
            costs: costs[s.name],
          })),
          rounds: rounds.map(({ workflowIds: _ids, completionMs, startMs, ...r }) => ({
            ...r,
            completionMsSorted: sorted(completionMs),
            startMsSorted: sorted(startMs),
          })),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nJSON: ${out}`);
  } finally {
    for (const s of sessions) await s.close().catch((e) => say(`stopping ${s.name}: ${(e as Error).message}`));
  }
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b).map((x) => Math.round(x * 10) / 10);

/** Per level and system, for every session. */
async function historyCosts(s: Session, rounds: Round[]): Promise<CostSummary[]> {
  const out: CostSummary[] = [];
  for (const level of LEVELS) {
    for (const system of ['doudi', 'bare'] as System[]) {
      const ids = rounds.filter((r) => r.level === level && r.system === system).flatMap((r) => r.workflowIds);
      const histories = await mapLimit(ids, 8, async (id) =>
        segmentHistory(
          id,
          await fetchEvents(s.client, id),
          system === 'doudi'
            ? (name, arg) =>
                name === 'completeTask'
                  ? String((arg as { taskId?: string })?.taskId ?? '?').split(':')[1]
                  : name === 'settled'
                    ? 'start'
                    : name
            : (name, arg) => (name === 'step' ? String((arg as { step?: string })?.step) : name),
        ),
      );
      const children: CaseHistory[] = await mapLimit(
        histories.flatMap((h) => h.children),
        8,
        async (id) => segmentHistory(id, await fetchEvents(s.client, id), (n) => n),
      );
      out.push(summariseCosts(system, level, histories, children, COMPLETIONS_PER_CASE));
    }
  }
  return out;
}

function comparison(sessions: Session[], summaries: Record<string, ReturnType<typeof summarise>>): string {
  const rows: string[][] = [];
  for (const level of LEVELS) {
    for (const system of ['doudi', 'bare'] as System[]) {
      const cells = sessions.map((s) => summaries[s.name].find((x) => x.level === level && x.system === system));
      const base = cells[0]?.completionsPerS.median ?? NaN;
      rows.push([
        String(level),
        system,
        ...cells.map((c) => {
          if (!c) return '–';
          const ratio = c === cells[0] ? '' : ` (${(c.completionsPerS.median / base).toFixed(2)}×)`;
          return `${c.completionsPerS.median.toFixed(1)}${ratio}`;
        }),
        ...cells.map((c) => (c ? c.latencyMs.p50.toFixed(1) : '–')),
      ]);
    }
  }
  return table(
    ['in flight', 'system', ...sessions.map((s) => `${s.name} /s`), ...sessions.map((s) => `${s.name} p50 ms`)],
    rows,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
