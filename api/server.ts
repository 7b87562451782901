// The API process: `npm run api` against DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs it for you.
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl, startupJwtSecret } from '../config';
import { calendarStatus } from '../data/calendar-warning';
import { createKnex } from '../data/db';
import { CaseEngine } from '../engine/client';
import { AesGcmPayloadCodec, loadPayloadKeys, payloadDataConverter } from '../engine/payload-codec';
import { createApp } from './app';

export async function runApi(): Promise<void> {
  const loaded = loadConfig();
  const config = { ...loaded, jwtSecret: startupJwtSecret(loaded) };
  const db = createKnex(requireDatabaseUrl(config));
  const connection = await Connection.connect({ address: config.temporalAddress });
  const payloadKeys = loadPayloadKeys();
  const client = new Client({
    connection,
    namespace: config.temporalNamespace,
    dataConverter: payloadDataConverter(payloadKeys),
  });
  const app = createApp({
    db,
    engine: new CaseEngine(client, config.taskQueue),
    config,
    payloadCodec: new AesGcmPayloadCodec(payloadKeys),
  });
  const server = app.listen(config.port, config.host, () =>
    console.log(
      `API listening on ${config.host}:${config.port} as ${config.publicBaseUrl} (docs ${config.publicBaseUrl}/docs)`,
    ),
  );
  // Start-up warning when a year's working-day schedule is missing (docs/policy.md §1.3); also in /readyz.
  void calendarStatus(db).then(
    (s) => s.warnings.forEach((w) => console.warn(`WARNING: ${w.message}`)),
    () => undefined,
  );
  const stop = () => {
    server.close(async () => {
      await connection.close();
      await db.destroy();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  runApi().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
