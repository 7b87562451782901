// The comparison at county scale: `npx tsx --expose-gc bench/monitoring.ts [deptRows] [people]` (defaults 1,000,000
// and 100,000). The population database holds `people` persons in households, some of them recipients; the
// departments' seven datasets hold `deptRows` rows over five times as many residents (the rest are people the
// departments know and the database does not: they enter it with their names, as an import would). Measured:
// the import path itself on one dataset (validation, HMAC, COPY: rows/s, peak memory), one comparison of every row
// (rows/s, peak memory), the rerun that raises nothing, and how many warning workflows per second the run's activity
// starts on a Temporal dev server while a worker runs them. Embedded PostgreSQL in .tmp/ (removed after).
// Prints, asserts nothing; writes bench/results/monitoring-<time>.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { PROJECT_ROOT } from '../config';
import { createKnex } from '../data/db';
import { generateKeySet } from '../data/id-keys';
import { importDataset } from '../data/import/monitoring';
import { compareDatasets } from '../data/monitoring';
import { SEED_POLICY_VERSIONS } from '../domain/policy';
import { activityInterceptors } from '../engine/activities/interceptors';
import { withWorkflowThreads } from '../engine/workflow-threads';
import { createActivities } from '../processes';
import { comparisonActivities } from '../processes/comparison/activities';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/ports';
import { startTemporalDevServer } from '../scripts/lib/temporal';
import { migrateAndSeed } from '../scripts/migrate';
import { workflowBundle } from '../test/workflow/bundle';
import { benchIdNumber, copyPeople } from './lib/people';

process.env.DOUDI_ID_KEYS ??= generateKeySet('bench');

const DEPT_ROWS = Number(process.argv[2] ?? 1_000_000);
const PEOPLE = Number(process.argv[3] ?? 100_000);
const RESIDENTS = PEOPLE * 5;
const IMPORT_ROWS = 200_000;
const TODAY = '2026-06-01';
const figures: string[] = [];
const results: Record<string, number> = {};
const say = (line: string) => {
  figures.push(line);
  console.log(line);
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function peakDuring<T>(fn: () => Promise<T>): Promise<{ result: T; rssPeak: number; heapPeak: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const heap = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
  let rssPeak = process.memoryUsage().rss;
  let heapPeak = heap();
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    heapPeak = Math.max(heapPeak, heap());
  }, 10);
  try {
    return { result: await fn(), rssPeak, heapPeak };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Households for the first `PEOPLE` persons (one each), one township in six; recipients among them: 10 % DIBAO, 2 %
 * TEKUN, 3 % DIBAO_EDGE; a medical subsidy in the chain for half the TEKUN persons.
 */
async function populationDatabase(db: Knex): Promise<void> {
  await db.raw(
    `insert into households (id, region_code, residence)
     select md5('h' || i)::uuid, '41072110' || (i % 6), case when i % 3 = 0 then 'URBAN' else 'RURAL' end
       from generate_series(1, ?) i`,
    [PEOPLE],
  );
  await db.raw(
    `insert into members (id, household_id, person_id, relation, birth_date, sex, joined_on)
     select md5('m' || i)::uuid, md5('h' || i)::uuid, md5('p' || i)::uuid, 'APPLICANT', '1970-01-01', 'F', '2020-01-01'
       from generate_series(1, ?) i`,
    [PEOPLE],
  );
  const category = `case when i <= ${PEOPLE * 0.1} then 'DIBAO' when i <= ${PEOPLE * 0.12} then 'TEKUN'
                         else 'DIBAO_EDGE' end`;
  const recipients = `generate_series(1, ${PEOPLE * 0.15}) i`;
  await db.raw(`insert into cases (id, process, workflow_id, household_id, region_code, status, received_on, created_by)
     select md5('c' || i)::uuid, 'application', 'application-bench-' || i, md5('h' || i)::uuid, '41072110' || (i % 6),
            'APPROVED', '2025-01-01', 'bench' from ${recipients}`);
  await db.raw(`insert into case_people (case_id, person_id, member_key, relation)
     select md5('c' || i)::uuid, md5('p' || i)::uuid, 'm1', 'APPLICANT' from ${recipients}`);
  await db.raw(`insert into recipients (id, case_id, household_id, region_code, category, monthly_amount, start_month,
                                        determined_on, status)
     select md5('r' || i)::uuid, md5('c' || i)::uuid, md5('h' || i)::uuid, '41072110' || (i % 6), ${category}, 300,
            '2025-02', '2025-01-20', 'ACTIVE' from ${recipients}`);
  await db.raw(
    `insert into assistance_records (id, person_id, household_id, region_code, kind, department, reference, period,
                                     granted_on, amount, batch_id, reported_by)
     select 'MEDICAL_INSURANCE:bench-' || i, md5('p' || i)::uuid, md5('h' || i)::uuid, '41072110' || (i % 6),
            'MEDICAL_SUBSIDY', 'MEDICAL_INSURANCE', 'bench-' || i, '2026', '2026-01-10', 380, 'bench', 'bench'
       from generate_series(?, ?, 2) i`,
    [PEOPLE * 0.1 + 1, PEOPLE * 0.12],
  );
}

/**
 * The departments' rows, set-based (the import path is measured on its own above): each dataset its share of
 * DEPT_ROWS over a window of the residents, with figures that make a few per cent of the rows fire a rule.
 */
async function departmentRows(db: Knex): Promise<void> {
  // dataset, share of the rows, first resident (share of RESIDENTS), the columns amount, income, grade, label as SQL
  // of j. The windows tile the residents so most people have one or two hardships, and 0.6 % of them three (complex);
  // the figures make about one row in a hundred fire a rule.
  const datasets: [string, number, number, string][] = [
    ['MEDICAL_EXPENSES', 0.3, 0, `(j * 37) % 9000 + case when j % 97 = 0 then 40000 else 0 end, 60000, null, null`],
    ['EMPLOYMENT_WAGE', 0.2, 0, `case when j % 10 = 0 then 3000 else 300 end, null, null, null`],
    ['SERIOUS_ILLNESS', 0.1, 0.6, `null, null, null, 'illness'`],
    ['SEVERE_DISABILITY', 0.1, 0.8, `null, null, 1 + j % 2, null`],
    ['HARDSHIP_STUDENT', 0.1, 0, `null, null, null, 'PRIMARY'`],
    ['REGISTERED_UNEMPLOYED', 0.1, 0.2, `null, null, null, '2026-01-01'`],
    [
      'RETURN_MONITORING',
      0.1,
      0.394,
      `case when j % 50 = 0 then 300 else 700 + (j * 7) % 1500 end, null, null, 'EDGE_AT_RISK'`,
    ],
  ];
  for (const [dataset, share, from, cols] of datasets) {
    const n = Math.round(DEPT_ROWS * share);
    const key = `${dataset}:bench`;
    await db('monitoring_batches').insert({
      id: key,
      dataset,
      department: 'BENCH',
      batch_id: 'bench',
      as_of: TODAY,
      source: 'CLI',
      accepted: n,
      rejected: 0,
      rejections: '[]',
      reported_by: 'bench',
    });
    await db.raw(
      `insert into monitoring_rows (batch_key, dataset, as_of, person_id, region_code, line, amount, income, grade,
                                    label)
       select ?, ?, ?::date, md5('p' || (1 + (j + ?) % ${RESIDENTS}))::uuid, '410721100', j + 2, ${cols}
         from generate_series(0, ? - 1) j`,
      [key, dataset, TODAY, Math.round(from * RESIDENTS), n],
    );
  }
  await db.raw('analyze monitoring_rows');
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = join(PROJECT_ROOT, '.tmp', `bench-monitoring-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    log: () => undefined,
    ephemeral: true,
  });
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default', log: () => undefined });
  try {
    await ensureDatabase(pg.adminUrl, 'bench');
    const url = pg.url('bench');
    await migrateAndSeed(url, () => undefined);
    const db = createKnex(url, { min: 1, max: 8 });
    let t = Date.now();
    await copyPeople(db, RESIDENTS);
    await db.raw('analyze people');
    await populationDatabase(db);
    await db.raw('analyze');
    say(
      `${RESIDENTS.toLocaleString()} residents in people, ${PEOPLE.toLocaleString()} of them in households ` +
        `(15 % recipients): set up in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    // The import path, one dataset: row checks, HMAC, COPY into staging, the rows stored under person ids.
    t = Date.now();
    const imported = await peakDuring(() =>
      importDataset(db, {
        dataset: 'REGISTERED_UNEMPLOYED',
        batchId: 'bench-import',
        asOf: '2026-05-01',
        source: 'CLI',
        reportedBy: { sub: 'bench', role: 'admin' },
        today: TODAY,
        rows: (async function* () {
          for (let k = 0; k < IMPORT_ROWS; k++) {
            const p = benchIdNumber(1 + ((k * 7919) % RESIDENTS));
            yield { line: k + 2, raw: { idNumber: p.idNumber, facts: { registeredOn: '2026-01-01' } } };
          }
        })(),
      }),
    );
    const importSeconds = (Date.now() - t) / 1000;
    results.importRowsPerSecond = Math.round(IMPORT_ROWS / importSeconds);
    say(
      `import of ${IMPORT_ROWS.toLocaleString()} dataset rows (checks + HMAC + COPY): ${importSeconds.toFixed(1)} s, ` +
        `${results.importRowsPerSecond.toLocaleString()} rows/s, ${imported.result.accepted.toLocaleString()} ` +
        `accepted; peak RSS ${mb(imported.rssPeak)}, heap+buffers ${mb(imported.heapPeak)}`,
    );

    t = Date.now();
    await departmentRows(db);
    say(
      `${DEPT_ROWS.toLocaleString()} department rows in 7 datasets generated in ` +
        `${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    const parameters = SEED_POLICY_VERSIONS[SEED_POLICY_VERSIONS.length - 1].parameters;
    const spec = { runId: 'bench-1', today: TODAY, parameters, reportedBy: 'bench' };
    const first = await peakDuring(() => compareDatasets(db, spec));
    const r = first.result;
    results.compareRowsPerSecond = Math.round(r.rowsCompared / (r.compareMs / 1000));
    results.compareMs = r.compareMs;
    results.raised = r.raised;
    results.comparePeakRssMb = Math.round(first.rssPeak / 1024 / 1024);
    results.compareHeapPeakMb = Math.round(first.heapPeak / 1024 / 1024);
    say(
      `comparison of ${r.rowsCompared.toLocaleString()} rows (${r.subjects.toLocaleString()} people): ` +
        `${(r.compareMs / 1000).toFixed(2)} s, ${results.compareRowsPerSecond.toLocaleString()} rows/s; ` +
        `${r.raised.toLocaleString()} warnings raised ${JSON.stringify(r.byClass)}; ` +
        `peak RSS ${mb(first.rssPeak)}, heap+buffers ${mb(first.heapPeak)}`,
    );
    const again = await compareDatasets(db, { ...spec, runId: 'bench-2' });
    results.rerunMs = again.compareMs;
    say(
      `rerun: ${(again.compareMs / 1000).toFixed(2)} s, ${again.raised} raised, ` +
        `${again.notRaisedAgain.toLocaleString()} not raised again`,
    );

    // The run's second activity: one warning workflow per warning, started against a dev server while a worker
    // runs them (each opens its verification task and deadline).
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: 'default' });
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const taskQueue = 'bench-monitoring';
    const bundle = await workflowBundle();
    // As worker.ts runs it: workflow threads without stack traces (engine/workflow-threads.ts).
    const worker = await withWorkflowThreads(false, () =>
      Worker.create({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        workflowBundle: bundle,
        activities: createActivities({ db, temporal: { client, taskQueue } }),
        interceptors: { activity: activityInterceptors },
      }),
    );
    const running = worker.run();
    const acts = comparisonActivities({ db, temporal: { client, taskQueue } });
    const started = await peakDuring(() =>
      withoutActivityContext(() => acts.startWarningWorkflows({ runId: 'bench-1' })),
    );
    results.workflowsStarted = started.result.workflowsStarted;
    results.workflowStartsPerSecond = Math.round(started.result.workflowsStarted / (started.result.startMs / 1000));
    say(
      `warning workflows started: ${started.result.workflowsStarted.toLocaleString()} in ` +
        `${(started.result.startMs / 1000).toFixed(1)} s, ${results.workflowStartsPerSecond.toLocaleString()}/s ` +
        `(32 in flight, worker running them meanwhile)`,
    );
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    say(`process peak RSS over the whole bench: ${mb(process.resourceUsage().maxRSS * 1024)}`);
    await db.destroy();
    const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
    const out = join(PROJECT_ROOT, 'bench', 'results', `monitoring-${stamp}.json`);
    const report = {
      date: new Date().toISOString(),
      deptRows: DEPT_ROWS,
      people: PEOPLE,
      residents: RESIDENTS,
      results,
      figures,
    };
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`JSON: ${out}`);
  } finally {
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs an activity function outside a worker: @temporalio/activity's heartbeat() throws without a context. */
async function withoutActivityContext<T>(fn: () => Promise<T>): Promise<T> {
  const { MockActivityEnvironment } = await import('@temporalio/testing');
  return new MockActivityEnvironment().run(fn);
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
