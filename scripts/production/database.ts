// PostgreSQL for the topology, as deploy/postgres-init and auto-setup prepare it in compose: a `temporal` role owning
// the databases `temporal` and `temporal_visibility` (schemas applied and upgraded with temporal-sql-tool), and the
// application database `doudi`. On embedded PostgreSQL (scripts/lib/postgres.ts) unless DATABASE_URL names a server,
// whose user must then be allowed to create roles and databases (or have them created already).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrlFor, ensureDatabase, startEmbeddedPostgres } from '../lib/postgres';
import { APP_ROLE, appRoleUrl } from '../lib/app-role';
import type { TemporalServerBinaries } from './build';

export interface Databases {
  /** The application database as its owner: what compose's migrate service connects as. */
  doudiUrl: string;
  /** The same database as the application role doudi_app (api and workers, as in compose). */
  appUrl: string;
  /** How the Temporal server and the schema tool reach PostgreSQL. */
  temporal: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    visibilityDatabase: string;
  };
  stop(): Promise<void>;
}

export async function prepareDatabases(opts: {
  dataDir: string;
  pgPort: number;
  databaseUrl?: string;
  temporalPassword: string;
  appPassword: string;
  log: (l: string) => void;
}): Promise<Databases> {
  let doudiUrl: string;
  let adminUrl: string;
  let stop = async () => undefined as void;
  if (opts.databaseUrl) {
    doudiUrl = opts.databaseUrl;
    adminUrl = databaseUrlFor(opts.databaseUrl, 'postgres');
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: join(opts.dataDir, 'pg'), port: opts.pgPort, log: opts.log });
    stop = () => pg.stop();
    await ensureDatabase(pg.adminUrl, 'doudi');
    doudiUrl = pg.url('doudi');
    adminUrl = pg.adminUrl;
  }
  const admin = new URL(adminUrl);
  const temporal = {
    host: admin.hostname,
    port: Number(admin.port || 5432),
    user: 'temporal',
    password: opts.temporalPassword,
    database: 'temporal',
    visibilityDatabase: 'temporal_visibility',
  };
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    // The password is ours (hex), so quoting it as a literal is safe; identifiers are constants.
    if (!(await c.query(`select 1 from pg_roles where rolname = 'temporal'`)).rowCount)
      await c.query(`create role temporal login password '${temporal.password}'`);
    else await c.query(`alter role temporal password '${temporal.password}'`);
    // deploy/postgres-init creates the application role in compose; `npm run migrate` grants it its rights.
    if (!/^[0-9a-f]+$/.test(opts.appPassword)) throw new Error('the application role password must be hex');
    if (!(await c.query(`select 1 from pg_roles where rolname = '${APP_ROLE}'`)).rowCount)
      await c.query(`create role ${APP_ROLE} login password '${opts.appPassword}' nosuperuser nocreatedb nocreaterole`);
    else await c.query(`alter role ${APP_ROLE} password '${opts.appPassword}'`);
    for (const db of [temporal.database, temporal.visibilityDatabase]) {
      if (!(await c.query('select 1 from pg_database where datname = $1', [db])).rowCount)
        await c.query(`create database ${db} owner temporal`);
    }
  } finally {
    await c.end();
  }
  return { doudiUrl, appUrl: appRoleUrl(doudiUrl, opts.appPassword), temporal, stop };
}

/**
 * setup-schema -v 0.0 (the version table; harmless when present), then update-schema to the newest version in the
 * module's versioned/ folder — what auto-setup runs on every start, so a new server version upgrades the schema.
 */
export function applyTemporalSchemas(
  bins: TemporalServerBinaries,
  t: Databases['temporal'],
  log: (l: string) => void,
): void {
  for (const [db, dir] of [
    [t.database, 'temporal'],
    [t.visibilityDatabase, 'visibility'],
  ] as const) {
    const base = ['--plugin', 'postgres12', '--ep', t.host, '-p', String(t.port), '-u', t.user, '--db', db];
    const env = { ...process.env, SQL_PASSWORD: t.password }; // not on the command line, where ps would show it
    for (const cmd of [
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '-d', join(bins.schemaDir, dir, 'versioned')],
    ]) {
      const out = execFileSync(bins.sqlToolPath, [...base, ...cmd], {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const l of out.split('\n'))
        if (/error|updated|version/i.test(l)) log(`${db}: ${l.replace(/^.*"msg":"([^"]*)".*$/, '$1')}`);
    }
  }
}
