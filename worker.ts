// The worker: runs every process's workflows and activities on the `doudi` task queue, and delivers the outbox.
// `npm run worker` against TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / DATABASE_URL; `npm start` runs it for you.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig, requireDatabaseUrl, startupJwtSecret } from './config';
import { notifyMissingCalendarYears } from './data/calendar-warning';
import { createKnex } from './data/db';
import { activityInterceptors } from './engine/activities/interceptors';
import { startDispatcher } from './engine/notifications/dispatcher';
import { withIntegratorWebhooks } from './engine/notifications/integrator-webhooks';
import { transportsFromEnv } from './engine/notifications/transports';
import { createActivities } from './processes';
import { ensureSchedules } from './scripts/schedules';
import { PRELOADED_MODULES } from './engine/workflow-bundle';
import { withWorkflowThreads } from './engine/workflow-threads';
import { payloadDataConverter } from './engine/payload-codec';
import { CaseEngine } from './engine/client';
import { startReconciler } from './scripts/lib/reconcile-starts';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  startupJwtSecret(config); // refuses to start without a real secret outside development (docs: README.md)
  Runtime.install({ logger: new DefaultLogger((process.env.LOG_LEVEL as 'INFO') ?? 'INFO') });
  const db = createKnex(requireDatabaseUrl(config));
  const dataConverter = payloadDataConverter();
  const transports = withIntegratorWebhooks(transportsFromEnv(process.env, config.dataDir), db, process.env);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // The monthly roster schedule exists wherever a worker runs; every worker tries, the first one creates it.
  // Kept open: the comparison run's activity starts warning workflows through it.
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace, dataConverter });
  const created = await ensureSchedules(client, config.taskQueue);
  if (created.length) console.log(`created schedules: ${created.join(', ')}`);
  // Case rows whose workflow never started (Temporal down, or the API killed, at POST /applications): started here.
  const stopReconciler =
    config.reconcileIntervalMs > 0
      ? startReconciler(db, new CaseEngine(client, config.taskQueue), config.reconcileIntervalMs, (l) =>
          console.warn(l),
        )
      : () => undefined;
  const worker = await withWorkflowThreads(config.workflowStackTraces, () =>
    Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      workflowsPath: require.resolve('./processes/workflows'),
      bundlerOptions: { preloadModules: PRELOADED_MODULES },
      dataConverter,
      activities: createActivities({ db, transports, temporal: { client, taskQueue: config.taskQueue } }),
      interceptors: { activity: activityInterceptors },
    }),
  );
  const stopDispatcher = startDispatcher(db, transports, 2_000, (e) =>
    console.error('outbox dispatch failed:', (e as Error).message),
  );
  // A missing year's schedule (docs/policy.md §1.3): warned at start-up and told to the county's supervisors, checked
  // again every few hours so 1 December is noticed by a worker that runs for weeks.
  const checkCalendar = () =>
    notifyMissingCalendarYears(db).then(
      (s) => s.warnings.forEach((w) => console.warn(`WARNING: ${w.message}`)),
      (e) => console.error('calendar check failed:', (e as Error).message),
    );
  await checkCalendar();
  const calendarTimer = setInterval(() => void checkCalendar(), 6 * 3_600_000);
  calendarTimer.unref();
  if (!config.workflowStackTraces)
    console.log('workflow stack traces off (DOUDI_WORKFLOW_STACK_TRACES=1 turns them on: docs/architecture.md §5)');
  console.log(
    `worker polling task queue "${config.taskQueue}" on ${config.temporalAddress} (${config.temporalNamespace})`,
  );
  try {
    await worker.run(); // returns after SIGINT/SIGTERM, which the SDK handles with a graceful shutdown
  } finally {
    clearInterval(calendarTimer);
    stopReconciler();
    await stopDispatcher();
    await clientConnection.close();
    await connection.close();
    await clientConnection.close();
    await db.destroy();
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
