// The bare case's worker, a process of its own as Doudi's worker is under `npm start`: SDK defaults (as worker.ts),
// its own task queue, its own bundle. Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BARE_TASK_QUEUE, BARE_DATABASE_URL.
// Prints "ready" once polling; SIGTERM/SIGINT shut it down (the SDK's graceful shutdown).
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createKnex } from '../../data/db';
import { bareActivities, ensureBareTable } from './activities';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const db = createKnex(process.env.BARE_DATABASE_URL!);
  await ensureBareTable(db);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.BARE_TASK_QUEUE!,
    workflowsPath: require.resolve('./workflows'),
    activities: bareActivities(db),
  });
  const running = worker.run();
  console.log('ready');
  try {
    await running;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
