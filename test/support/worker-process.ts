// A worker as its own process, for tests that kill it (SIGKILL) mid-way: the real activities on DATABASE_URL, the
// cached workflow bundle (so it starts in seconds), polling TEMPORAL_TASK_QUEUE on TEMPORAL_ADDRESS.
// Prints "ready" once polling. A short sticky-queue timeout lets the next worker take over a killed one's workflows
// after 1 s instead of the SDK's default 10 s; correctness does not depend on it.
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../processes';
import { activityInterceptors } from '../../engine/activities/interceptors';
import { createKnex } from '../../data/db';
import { workflowBundle } from '../workflow/bundle';
import { payloadDataConverter } from '../../engine/payload-codec';
import { withWorkflowThreads } from '../../engine/workflow-threads';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const db = createKnex(process.env.DATABASE_URL!);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const bundle = await workflowBundle();
  const worker = await withWorkflowThreads(false, () =>
    Worker.create({
      connection,
      namespace: 'default',
      taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
      workflowBundle: bundle,
      dataConverter: payloadDataConverter(), // DOUDI_PAYLOAD_KEY from the test that spawns it
      activities: createActivities({ db }),
      interceptors: { activity: activityInterceptors },
      stickyQueueScheduleToStartTimeout: '1 second',
    }),
  );
  const running = worker.run();
  console.log('ready');
  await running;
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
