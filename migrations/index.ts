// Migrations are listed here explicitly so they load the same way under tsx, jest and compiled JS.
import knexFactory, { Knex } from 'knex';
import { types } from 'pg';
import * as m001 from './001_initial';
import * as m002 from './002_payments';
import * as m003 from './003_recipients';
import * as m004 from './004_supervision';
import * as m005 from './005_emergency';

const MIGRATIONS: Record<string, Knex.Migration> = {
  '001_initial': m001,
  '002_payments': m002,
  '003_recipients': m003,
  '004_supervision': m004,
  '005_emergency': m005,
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
types.setTypeParser(1082, (v: string) => v);
// NUMERIC money columns come back as numbers; amounts are far below 2^53 cents.
types.setTypeParser(1700, (v: string) => Number(v));

export function createKnex(databaseUrl: string, pool = { min: 0, max: 10 }): Knex {
  return knexFactory({ client: 'pg', connection: databaseUrl, pool });
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ migrationSource: source });
  return applied as string[];
}
