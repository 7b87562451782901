// Migrations are the numbered files of this folder (NNN_name.ts), applied in order; adding one is adding a file.
// They are required by name so they load the same way under tsx, jest and compiled JS.
import { readdirSync } from 'node:fs';
import type { Knex } from 'knex';
export { createKnex } from '../data/db';

const FILE = /^(\d{3}_[a-z0-9_]+)\.(ts|js)$/;

/** The migration names in order, from the files beside this one. */
export function migrationNames(dir = __dirname): string[] {
  const names = readdirSync(dir).flatMap((f) => (FILE.test(f) && !f.endsWith('.d.ts') ? [FILE.exec(f)![1]] : []));
  return [...new Set(names)].sort();
}

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => migrationNames(),
  getMigrationName: (name) => name,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  getMigration: async (name) => require(`./${name}`) as Knex.Migration,
};

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ migrationSource: source });
  return applied as string[];
}

/** Applies the migrations up to and including `last` (tests of a migration start from the schema before it). */
export async function migrateUpTo(db: Knex, last: string): Promise<void> {
  for (const name of migrationNames()) {
    if (name > last) return;
    await db.migrate.up({ migrationSource: source, name });
  }
}
