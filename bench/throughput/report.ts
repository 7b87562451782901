// Summaries and tables for bench/throughput.ts: per level and system the median of the rounds' throughput and the
// latency percentiles over every completion of every round; per step the history cost (histories.ts).
import { table } from '../lib/args';
import { mean, median, percentile } from '../lib/stats';
import { addCost, type CaseHistory, type Cost } from './histories';
import type { Round, System } from './rounds';

export interface LevelSummary {
  level: number;
  system: System;
  rounds: number;
  casesPerRound: number;
  completionsPerS: { median: number; min: number; max: number };
  casesPerS: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number };
  startP50Ms: number;
}

export function summarise(rounds: Round[]): LevelSummary[] {
  const out: LevelSummary[] = [];
  for (const level of [...new Set(rounds.map((r) => r.level))]) {
    for (const system of ['doudi', 'bare'] as System[]) {
      const rs = rounds.filter((r) => r.level === level && r.system === system);
      if (!rs.length) continue;
      const lat = rs.flatMap((r) => r.completionMs);
      const cps = rs.map((r) => r.completionsPerS);
      out.push({
        level,
        system,
        rounds: rs.length,
        casesPerRound: rs[0].cases,
        completionsPerS: { median: median(cps), min: Math.min(...cps), max: Math.max(...cps) },
        casesPerS: median(rs.map((r) => r.casesPerS)),
        latencyMs: { p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99), mean: mean(lat) },
        startP50Ms: percentile(
          rs.flatMap((r) => r.startMs),
          50,
        ),
      });
    }
  }
  return out;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

export function throughputTable(s: LevelSummary[]): string {
  const rows: (string | number)[][] = [];
  for (const level of [...new Set(s.map((x) => x.level))]) {
    const d = s.find((x) => x.level === level && x.system === 'doudi');
    const b = s.find((x) => x.level === level && x.system === 'bare');
    for (const x of [d, b]) {
      if (!x) continue;
      rows.push([
        String(level),
        x.system,
        `${f1(x.completionsPerS.median)} (${f1(x.completionsPerS.min)}–${f1(x.completionsPerS.max)})`,
        f2(x.casesPerS),
        f1(x.latencyMs.p50),
        f1(x.latencyMs.p95),
        f1(x.latencyMs.p99),
        f1(x.startP50Ms),
      ]);
    }
    if (d && b) {
      rows.push([
        '',
        'doudi/bare',
        f2(d.completionsPerS.median / b.completionsPerS.median),
        f2(d.casesPerS / b.casesPerS),
        `${f1(d.latencyMs.p50 / b.latencyMs.p50)}×`,
        `${f1(d.latencyMs.p95 / b.latencyMs.p95)}×`,
        `${f1(d.latencyMs.p99 / b.latencyMs.p99)}×`,
        `${f1(d.startP50Ms / b.startP50Ms)}×`,
      ]);
    }
  }
  return table(
    ['in flight', 'system', 'completions/s median (min–max)', 'cases/s', 'p50 ms', 'p95 ms', 'p99 ms', 'start p50 ms'],
    rows,
  );
}

export interface CostSummary {
  system: System;
  level: number;
  cases: number;
  bySegment: Record<string, Cost>;
  perCompletion: Cost;
  start: Cost;
  children: Cost | null;
}

const div = (c: Cost, n: number): Cost =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v / n])) as unknown as Cost;

export function summariseCosts(
  system: System,
  level: number,
  histories: CaseHistory[],
  childHistories: CaseHistory[],
  completionsPerCase: number,
): CostSummary {
  const bySegment: Record<string, Cost> = {};
  let completions: Cost | undefined;
  for (const h of histories) {
    for (const seg of h.segments) {
      bySegment[seg.label] = bySegment[seg.label] ? addCost(bySegment[seg.label], seg.cost) : seg.cost;
      if (seg.label !== 'start') completions = completions ? addCost(completions, seg.cost) : seg.cost;
    }
  }
  const n = histories.length;
  for (const k of Object.keys(bySegment)) bySegment[k] = div(bySegment[k], n);
  const children = childHistories.length ? div(childHistories.map((h) => h.total).reduce(addCost), n) : null;
  return {
    system,
    level,
    cases: n,
    bySegment,
    perCompletion: div(completions!, n * completionsPerCase),
    start: bySegment.start,
    children,
  };
}

const costCells = (c: Cost) => [
  f1(c.events),
  f1(c.activities),
  f1(c.localActivities),
  f1(c.workflowTasks),
  f1(c.failedWorkflowTasks),
  Math.round(c.bytes),
];
const COST_HEADER = ['events', 'activities', 'local activities', 'workflow tasks', 'failed/timed-out WFTs', 'bytes'];

/** Mean over the levels, weighted by their number of cases. */
function pooledMean(cs: CostSummary[], pick: (c: CostSummary) => Cost | null | undefined): Cost | undefined {
  const have = cs.filter((c) => pick(c));
  if (!have.length) return undefined;
  const sum = have.map((c) => div(pick(c)!, 1 / c.cases)).reduce(addCost);
  return div(
    sum,
    have.reduce((n, c) => n + c.cases, 0),
  );
}

/** Per step, both systems side by side (means over every case of every level); then per completion by level. */
export function costTables(costs: CostSummary[], steps: string[]): string {
  const of = (system: System) => costs.filter((c) => c.system === system);
  const rows: (string | number)[][] = [];
  for (const step of ['start', ...steps]) {
    for (const system of ['doudi', 'bare'] as System[]) {
      const c = pooledMean(of(system), (x) => x.bySegment[step]);
      if (c) rows.push([step === 'start' ? 'case start' : step, system, ...costCells(c)]);
    }
  }
  for (const system of ['doudi', 'bare'] as System[]) {
    const c = pooledMean(of(system), (x) => x.perCompletion);
    if (c) rows.push(['per completion', system, ...costCells(c)]);
  }
  const child = pooledMean(of('doudi'), (x) => x.children);
  if (child) rows.push(['recipient child (so far)', 'doudi', ...costCells(child)]);
  const byLevel = costs.map((c) => [String(c.level), c.system, String(c.cases), ...costCells(c.perCompletion)]);
  const perLevel = table(['in flight', 'system', 'cases', ...COST_HEADER], byLevel);
  return `${table(['step', 'system', ...COST_HEADER], rows)}\n\nper completion, by cases in flight:\n${perLevel}`;
}

const CPU_ROLES = ['api', 'worker', 'bare worker', 'temporal', 'postgres', 'bench', 'other'] as const;

/** CPU milliseconds per completion by role (sum over a level's rounds / their completions), and the cores kept busy. */
export function cpuTable(rounds: Round[], completionsPerCase: number): string {
  const rows: string[][] = [];
  for (const level of [...new Set(rounds.map((r) => r.level))]) {
    for (const system of ['doudi', 'bare'] as System[]) {
      const rs = rounds.filter((r) => r.level === level && r.system === system);
      if (!rs.length) continue;
      const completions = rs.reduce((n, r) => n + r.cases * completionsPerCase, 0);
      const wallS = rs.reduce((n, r) => n + r.wallMs / 1000, 0);
      const byRole = CPU_ROLES.map((role) => rs.reduce((n, r) => n + (r.cpuS[role] ?? 0), 0));
      const total = byRole.reduce((a, b) => a + b, 0);
      rows.push([
        String(level),
        system,
        ...byRole.map((s) => f1((s * 1000) / completions)),
        f1((total * 1000) / completions),
        f2(total / wallS),
      ]);
    }
  }
  return table(['in flight', 'system', ...CPU_ROLES.map((r) => `${r} ms`), 'total ms', 'cores busy'], rows);
}

/** CPU ms per completion by thread of the Node processes, per level and system (threads under 0.5 ms left out). */
export function threadCpuTable(rounds: Round[], completionsPerCase: number): string {
  const rows: string[][] = [];
  for (const level of [...new Set(rounds.map((r) => r.level))]) {
    for (const system of ['doudi', 'bare'] as System[]) {
      const rs = rounds.filter((r) => r.level === level && r.system === system);
      if (!rs.length) continue;
      const completions = rs.reduce((n, r) => n + r.cases * completionsPerCase, 0);
      const sums: Record<string, number> = {};
      for (const r of rs) for (const [k, v] of Object.entries(r.threadCpuS)) sums[k] = (sums[k] ?? 0) + v;
      for (const [thread, s] of Object.entries(sums).sort((a, b) => b[1] - a[1])) {
        const ms = (s * 1000) / completions;
        if (ms >= 0.5) rows.push([String(level), system, thread, f1(ms)]);
      }
    }
  }
  return table(['in flight', 'system', 'process: thread', 'ms per completion'], rows);
}
