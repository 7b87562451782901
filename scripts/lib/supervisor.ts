// `npm start`'s supervisor: the services of the one-command set-up (embedded PostgreSQL, the Temporal dev server, the
// worker, the API) started in order, each watched; one that dies is restarted after a back-off (1 s, 2 s, 4 s … at
// most 30 s; the count resets once a run lasted a minute) instead of taking the system down, and its death is said
// loudly. Ctrl-C stops them in the reverse order of their start: the API and the worker before the servers they use.
export interface Running {
  /** Resolves when the service has died (or was stopped). */
  exited: Promise<unknown>;
  stop(): Promise<void>;
  /** For the log: what runs (pid, address). */
  describe?: string;
}

export interface Service {
  name: string;
  /** Starts the service; resolves once it is up. Called again for every restart. */
  start(): Promise<Running>;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the back-off. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

interface Entry {
  service: Service;
  running?: Running;
  attempts: number;
  startedAt: number;
  restarts: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;

  constructor(
    private readonly log: (line: string) => void,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  /** Starts a service and watches it. A failed first start throws: nothing is known to work yet. */
  async add(service: Service): Promise<void> {
    const entry: Entry = { service, attempts: 0, startedAt: Date.now(), restarts: 0 };
    this.entries.push(entry);
    entry.running = await service.start();
    this.log(`${service.name} started${entry.running.describe ? ` (${entry.running.describe})` : ''}`);
    this.watch(entry);
  }

  /** How often each service was restarted (for tests and the status line). */
  restarts(): Record<string, number> {
    return Object.fromEntries(this.entries.map((e) => [e.service.name, e.restarts]));
  }

  private watch(entry: Entry): void {
    const running = entry.running!;
    void running.exited.then(() => {
      if (this.stopping || entry.running !== running) return;
      entry.running = undefined;
      if (Date.now() - entry.startedAt >= this.backoff.resetAfterMs) entry.attempts = 0;
      this.scheduleRestart(entry, 'died');
    });
  }

  private scheduleRestart(entry: Entry, why: string): void {
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** entry.attempts);
    entry.attempts++;
    this.log(
      `*** ${entry.service.name} ${why}: restarting in ${delay < 1_000 ? `${delay} ms` : `${delay / 1_000} s`} ` +
        `(attempt ${entry.attempts}) ***`,
    );
    entry.timer = setTimeout(() => void this.restart(entry), delay);
  }

  private async restart(entry: Entry): Promise<void> {
    if (this.stopping) return;
    entry.startedAt = Date.now();
    try {
      const running = await entry.service.start();
      if (this.stopping) {
        await running.stop();
        return;
      }
      entry.running = running;
      entry.restarts++;
      this.log(`${entry.service.name} restarted${running.describe ? ` (${running.describe})` : ''}`);
      this.watch(entry);
    } catch (err) {
      this.scheduleRestart(entry, `did not start (${(err as Error).message})`);
    }
  }

  /** Stops every service, the last started first; a service waiting for its restart is not started again. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.entries].reverse()) {
      clearTimeout(entry.timer);
      await entry.running
        ?.stop()
        .catch((e) => this.log(`stopping ${entry.service.name} failed: ${(e as Error).message}`));
    }
  }
}
