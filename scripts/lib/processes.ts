// Child processes for the benches and the production topology: TypeScript entries run as `node --import tsx entry`,
// not through the tsx CLI, so the pid we hold is the program itself and a SIGKILL reaches it (the CLI would run it
// in a grandchild that outlives the kill).
import { spawn, type ChildProcess } from 'node:child_process';
import { pipeLines } from './log';

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  /** The last lines it printed, for error messages. */
  tail(): string;
  /** Calls fn with every further line it prints (stdout and stderr); returns the unsubscribe function. */
  onLine(fn: (line: string) => void): () => void;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once: a crash, as the topology test makes one. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  log?: (line: string) => void;
  /**
   * Its own process group, stopped as a terminal's Ctrl-C stops it: SIGINT to the whole group. For scripts/start.ts,
   * whose children expect the terminal's signal (and whose embedded PostgreSQL exits the process on SIGTERM).
   */
  group?: boolean;
}

export function spawnTs(name: string, entry: string, opts: SpawnOptions & { args?: string[] }): Proc {
  return spawnProcess(name, process.execPath, ['--import', 'tsx', entry, ...(opts.args ?? [])], opts);
}

export function spawnProcess(name: string, command: string, args: string[], opts: SpawnOptions): Proc {
  const child = spawn(command, args, {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group ?? false,
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const out = (l: string) => {
    lines.push(l);
    if (lines.length > 200) lines.shift();
    opts.log?.(l);
    for (const fn of listeners) fn(l);
  };
  pipeLines(child.stdout, out);
  pipeLines(child.stderr, out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const done = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    pid: child.pid!,
    exited,
    tail: () => lines.slice(-40).join('\n'),
    onLine: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop(graceMs = 15_000) {
      if (done()) return;
      const signal = (sig: NodeJS.Signals) => {
        try {
          if (opts.group) process.kill(-child.pid!, sig);
          else child.kill(sig);
        } catch {
          /* already gone */
        }
      };
      signal(opts.group ? 'SIGINT' : 'SIGTERM');
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
      if (opts.group) await groupGone(child.pid!, graceMs);
    },
    async kill() {
      if (done()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until no process of the group is left (a group's leader may exit before its children). */
async function groupGone(pgid: number, graceMs: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = Date.now() + graceMs;
  while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
}

/** Resolves once the process prints a line matching `re`; rejects if it exits first or after timeoutMs. */
export function waitForLine(proc: Proc, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${proc.name}: no line matching ${re} after ${timeoutMs / 1000} s\n${proc.tail()}`)),
      timeoutMs,
    );
    const unsubscribe = proc.onLine((l) => {
      if (re.test(l)) finish(undefined, l);
    });
    const onExit = (code: number | null) =>
      finish(new Error(`${proc.name} exited with ${code} before printing ${re}\n${proc.tail()}`));
    function finish(err?: Error, line?: string) {
      clearTimeout(timer);
      unsubscribe();
      proc.child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line!);
    }
    proc.child.once('exit', onExit);
  });
}

/** Polls `url` until it answers 2xx; fails early when `proc` (the server behind it) exits. */
export async function waitForHttp(url: string, timeoutMs: number, proc?: Proc): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null))
      throw new Error(`${proc.name} exited before ${url} answered\n${proc.tail()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s${proc ? `\n${proc.tail()}` : ''}`);
}
