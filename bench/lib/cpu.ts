// Where the CPU goes during a round: user+system time of every process on the machine, summed by role (api, worker,
// bare worker, Temporal server, PostgreSQL, the bench itself), from /proc. On a 2-core machine a throughput ceiling is
// a CPU ceiling, and this says whose. Linux only; elsewhere the snapshot is empty and the report says so.
import { readdirSync, readFileSync } from 'node:fs';

export type CpuRole = 'api' | 'worker' | 'bare worker' | 'temporal' | 'postgres' | 'bench' | 'other';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on every Linux this runs on (getconf CLK_TCK)

function roleOf(pid: number, cmdline: string): CpuRole {
  if (pid === process.pid) return 'bench';
  if (/postgres/.test(cmdline)) return 'postgres';
  if (/bench\/bare\/worker/.test(cmdline)) return 'bare worker';
  if (/temporal(-server)?\b.*(server|start)|\bserver\b.*--config|temporal.*dev/.test(cmdline)) return 'temporal';
  if (/api\/server\.ts/.test(cmdline)) return 'api';
  if (/worker\.ts/.test(cmdline)) return 'worker';
  return 'other';
}

function ticksOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The Node processes whose threads are told apart: the JS main thread, the Rust core's threads, the unnamed rest. */
const BY_THREAD: CpuRole[] = ['api', 'worker', 'bare worker'];

export interface CpuSnapshot {
  processes: Map<number, { role: CpuRole; seconds: number }>;
  /** `pid/tid` → role and thread name (`comm`, digits dropped: "tokio-runtime-w", "node"; "main": the main thread). */
  threads: Map<string, { role: CpuRole; thread: string; seconds: number }>;
}

/** CPU seconds used so far, per pid (with its role) and per thread of the Node processes under test. */
export function snapshotCpu(): CpuSnapshot {
  const out: CpuSnapshot = { processes: new Map(), threads: new Map() };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const d of pids) {
    try {
      const ticks = ticksOf(`/proc/${d}/stat`);
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const role = roleOf(Number(d), cmdline);
      out.processes.set(Number(d), { role, seconds: ticks / CLOCK_TICKS_PER_S });
      if (!BY_THREAD.includes(role)) continue;
      for (const t of readdirSync(`/proc/${d}/task`)) {
        // Node names none of its own threads: the main thread (tid = pid) is told apart from the rest by its id.
        const name = readFileSync(`/proc/${d}/task/${t}/comm`, 'utf8').trim().replace(/\d+$/, '');
        const thread = t === d ? 'main' : name;
        out.threads.set(`${d}/${t}`, {
          role,
          thread,
          seconds: ticksOf(`/proc/${d}/task/${t}/stat`) / CLOCK_TICKS_PER_S,
        });
      }
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

/** CPU seconds per role between two snapshots; a process born in between counts from zero. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Partial<Record<CpuRole, number>> {
  const sums: Partial<Record<CpuRole, number>> = {};
  for (const [pid, a] of after.processes) {
    const used = a.seconds - (before.processes.get(pid)?.seconds ?? 0);
    if (used > 0) sums[a.role] = (sums[a.role] ?? 0) + used;
  }
  return sums;
}

/** CPU seconds between two snapshots per `role: thread` ("worker: tokio-runtime-w"). */
export function threadCpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [key, a] of after.threads) {
    const used = a.seconds - (before.threads.get(key)?.seconds ?? 0);
    const name = `${a.role}: ${a.thread}`;
    if (used > 0) sums[name] = (sums[name] ?? 0) + used;
  }
  return sums;
}
