// Closed-loop rounds: `level` cases in flight, each virtual user starting the next case as soon as its last one is
// approved, until the round's cases are used up. Throughput is the round's completions over its wall time.
import { cpuBetween, snapshotCpu, threadCpuBetween, type CpuRole } from '../lib/cpu';
import { msSince } from '../lib/stats';
import type { CaseRun } from './cases';
import { COMPLETIONS_PER_CASE } from './cases';

export type System = 'doudi' | 'bare';

export interface Round {
  /** The session (system under test) it ran on. */
  target: string;
  system: System;
  level: number;
  round: number;
  cases: number;
  wallMs: number;
  completionsPerS: number;
  casesPerS: number;
  completionMs: number[];
  startMs: number[];
  workflowIds: string[];
  /** Completions that met a 404 first (cases.ts, DoudiCases.complete). */
  earlyCompletions: number;
  /** CPU seconds each role used during the round (bench/lib/cpu.ts). */
  cpuS: Partial<Record<CpuRole, number>>;
  /** The same per thread of the Node processes (`worker: tokio-runtime-w`). */
  threadCpuS: Record<string, number>;
}

export async function runRound(
  target: string,
  system: System,
  level: number,
  round: number,
  cases: number,
  runCase: () => Promise<CaseRun>,
): Promise<Round> {
  const runs: CaseRun[] = [];
  let started = 0;
  const cpu0 = snapshotCpu();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(level, cases) }, async () => {
      while (started < cases) {
        started++;
        runs.push(await runCase());
      }
    }),
  );
  const wallMs = msSince(t0);
  const cpu1 = snapshotCpu();
  const cpuS = cpuBetween(cpu0, cpu1);
  const threadCpuS = threadCpuBetween(cpu0, cpu1);
  return {
    target,
    system,
    level,
    round,
    cases,
    wallMs,
    completionsPerS: (cases * COMPLETIONS_PER_CASE) / (wallMs / 1000),
    casesPerS: cases / (wallMs / 1000),
    completionMs: runs.flatMap((r) => r.completionMs),
    startMs: runs.map((r) => r.startMs),
    workflowIds: runs.map((r) => r.workflowId),
    earlyCompletions: runs.reduce((n, r) => n + r.earlyCompletions, 0),
    cpuS,
    threadCpuS,
  };
}
