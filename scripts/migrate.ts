// `npm run migrate`: schema migrations, then reference data. Safe to run on every start.
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { migrateLatest } from '../migrations';
import { seed } from '../migrations/seed';
import { APP_ROLE, grantAppPrivileges } from './lib/app-role';

export async function migrateAndSeed(databaseUrl: string, log: (l: string) => void = console.log): Promise<void> {
  const db = createKnex(databaseUrl, { min: 0, max: 2 });
  try {
    const applied = await migrateLatest(db);
    log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema up to date');
    await seed(db);
    log('reference data seeded');
    if (await grantAppPrivileges(db)) log(`privileges granted to ${APP_ROLE} (append-only on audit_log)`);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  migrateAndSeed(requireDatabaseUrl(loadConfig())).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
