// The worker: runs workflows and activities on the `doudi` task queue, and delivers the notification outbox.
// `npm run worker` against TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / DATABASE_URL; `npm start` runs it for you.
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from './activities';
import { startDispatcher } from './activities/notifications/outbox';
import { transportsFromEnv } from './activities/notifications/transports';
import { loadConfig, requireDatabaseUrl } from './config';
import { createKnex } from './migrations';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL as 'INFO') ?? 'INFO') });
  const db = createKnex(requireDatabaseUrl(config));
  const transports = transportsFromEnv(process.env, config.dataDir);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities({ db, transports }),
  });
  const stopDispatcher = startDispatcher(db, transports, 2_000, (e) => console.error('outbox dispatch failed:', (e as Error).message));
  console.log(`worker polling task queue "${config.taskQueue}" on ${config.temporalAddress} (${config.temporalNamespace})`);
  try {
    await worker.run(); // returns after SIGINT/SIGTERM, which the SDK handles with a graceful shutdown
  } finally {
    await stopDispatcher();
    await connection.close();
    await db.destroy();
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
