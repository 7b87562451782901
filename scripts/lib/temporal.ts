// The Temporal dev server (CLI `server start-dev`) as a child process, with Doudi's search attributes registered.
import { spawn, ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { temporalCliPath } from './binaries';
import { pipeLines } from './log';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../engine/search-attributes';

export interface DevServer {
  address: string;
  uiPort?: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * SQLite settings of a file-backed dev server (docs/temporal-dev-server.md has the measurements). WAL with
 * synchronous=NORMAL: a commit is one append to the write-ahead log with no fsync, so it survives a crash of the
 * server or of any program (the OS has the pages), but the last transactions may be lost on power loss or a kernel
 * crash; the file itself stays consistent. The CLI's own default (rollback journal, synchronous=FULL) fsyncs several
 * times per commit, and every workflow task and activity completion is a commit.
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/**
 * DOUDI_TEMPORAL_SQLITE_PRAGMAS overrides them: comma-separated PRAGMA=VALUE (`journal_mode=wal,synchronous=full` for
 * power-loss safety), or `none` for the CLI's defaults (bench/throughput.ts measures each).
 */
export function devServerSqlitePragmas(env: NodeJS.ProcessEnv = process.env): string[] {
  const v = env.DOUDI_TEMPORAL_SQLITE_PRAGMAS?.trim();
  if (v === undefined || v === '') return DEV_SERVER_SQLITE_PRAGMAS;
  if (v.toLowerCase() === 'none') return [];
  const pragmas = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of pragmas)
    if (!/^[a-z_]+=[a-z0-9_-]+$/i.test(p)) throw new Error(`DOUDI_TEMPORAL_SQLITE_PRAGMAS: "${p}" is not PRAGMA=VALUE`);
  return pragmas;
}

export async function startTemporalDevServer(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace: string;
  log: (l: string) => void;
  /** The remote codec the UI decodes payloads with (the API's /codec, api/http/codec.ts). */
  codecEndpoint?: string;
  /** Only for a file-backed server (dbFile); default devServerSqlitePragmas(). */
  sqlitePragmas?: string[];
}): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
  ];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  if (opts.uiPort && opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  else args.push('--headless');
  if (opts.dbFile) {
    args.push('--db-filename', opts.dbFile);
    for (const p of opts.sqlitePragmas ?? devServerSqlitePragmas()) args.push('--sqlite-pragma', p);
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS))
    args.push('--search-attribute', `${name}=${type}`);
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  pipeLines(child.stdout, opts.log);
  pipeLines(child.stderr, opts.log);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await Promise.race([
    waitForPort(opts.port, 60_000),
    exited.then((code) => {
      throw new Error(`temporal dev server exited with ${code}`);
    }),
  ]);
  return {
    address: `127.0.0.1:${opts.port}`,
    uiPort: opts.uiPort,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection({ port, host }, () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
