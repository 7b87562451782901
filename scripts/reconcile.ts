// `npm run reconcile`: starts the workflow of every case row that has none (scripts/lib/reconcile-starts.ts; the worker
// does it every DOUDI_RECONCILE_INTERVAL_SECONDS too; `--dry-run` only lists them), then compares open deadline rows
// with the timers the workflows hold and prints every difference. Exit code 0: nothing to report; 1: cases started or
// differences (listed); 2: could not run. `--case <uuid>` (repeatable) checks single cases.
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { reconcileDeadlines } from './lib/reconcile';
import { reconcileUnstartedCases } from './lib/reconcile-starts';
import { CaseEngine } from '../engine/client';
import { payloadDataConverter } from '../engine/payload-codec';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
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
    const starts = await reconcileUnstartedCases(db, new CaseEngine(client, config.taskQueue), {
      graceMs: 10_000,
      repair: !values['dry-run'],
      caseIds: values.case,
    });
    const report = await reconcileDeadlines(db, client, {
      caseIds: values.case,
      taskQueue: values.case ? undefined : config.taskQueue,
    });
    if (values.json) console.log(JSON.stringify({ starts, deadlines: report }, null, 2));
    else {
      console.log(
        `checked ${starts.checked} case rows without a confirmed workflow: ` +
          `${starts.cases.length ? `${starts.cases.length} had none` : 'every one has its workflow'}`,
      );
      for (const c of starts.cases)
        console.log(`  ${c.outcome.padEnd(24)} case ${c.caseId}  ${c.workflowId}${c.message ? `  ${c.message}` : ''}`);
      console.log(
        `checked ${report.checkedRows} open deadline rows of ${report.checkedWorkflows} workflows: ` +
          `${report.differences.length ? `${report.differences.length} differences` : 'they agree'}`,
      );
      for (const d of report.differences)
        console.log(`  ${d.kind.padEnd(24)} case ${d.caseId}  ${d.deadlineId ?? d.workflowId}  ${d.message}`);
    }
    return report.differences.length || starts.cases.length ? 1 : 0;
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
