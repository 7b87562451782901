// `npm run reconcile`: compares open deadline rows with the timers the workflows hold and prints every difference.
// Exit code 0: they agree; 1: differences (listed); 2: could not run. `--case <uuid>` (repeatable) checks single cases.
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { reconcileDeadlines } from './lib/reconcile';
import { payloadDataConverter } from '../engine/payload-codec';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { case: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
  });
  const config = loadConfig();
  const db = createKnex(requireDatabaseUrl(config), { min: 0, max: 4 });
  const connection = await Connection.connect({ address: config.temporalAddress });
  try {
    const client = new Client({
      connection,
      namespace: config.temporalNamespace,
      dataConverter: payloadDataConverter(),
    });
    const report = await reconcileDeadlines(db, client, {
      caseIds: values.case,
      taskQueue: values.case ? undefined : config.taskQueue,
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `checked ${report.checkedRows} open deadline rows of ${report.checkedWorkflows} workflows: ` +
          `${report.differences.length ? `${report.differences.length} differences` : 'they agree'}`,
      );
      for (const d of report.differences)
        console.log(`  ${d.kind.padEnd(24)} case ${d.caseId}  ${d.deadlineId ?? d.workflowId}  ${d.message}`);
    }
    return report.differences.length ? 1 : 0;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`reconcile failed: ${(err as Error).message}`);
    process.exit(2);
  },
);
