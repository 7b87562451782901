// Worker memory per cached recipient workflow: `npx tsx bench/worker-memory.ts [--steps 250,500,1000]`. Embedded
// PostgreSQL and a Temporal dev server in temporary places; recipients inserted with SQL, their workflows started as
// the application workflow starts them (openRecipientCase, then the `recipient` workflow); the real worker
// (bench/worker-memory/worker.ts: worker.ts's runWorker with probes) holds them in its sticky cache. At each step (a
// cumulative number of workflows, all at rest) it reads RSS and heaps after a full GC; the per-workflow figure is the
// least-squares slope over the steps. Prints a table, writes bench/results/worker-memory-<date>.json. Asserts
// nothing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../config';
import { createActivities } from '../processes';
import { createKnex } from '../data/db';
import { loadPayloadKeys, payloadDataConverter } from '../engine/payload-codec';
import { migrateAndSeed } from '../scripts/migrate';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/lib/postgres';
import { startTemporalDevServer } from '../scripts/lib/temporal';
import { freePort } from '../scripts/lib/ports';
import { pipeLines } from '../scripts/lib/log';
import { addCalendarDays, shanghaiDate } from '../domain/calendar';
import { monthAfter } from '../domain/dates';
import { recipientProcess } from '../processes/recipient/definition';
import { singlePersonApplication } from '../test/support/fixtures';
import { parseArgs, numberList, table } from './lib/args';
import { slope } from './lib/stats';
import { mapLimit } from './throughput/histories';

const args = parseArgs(process.argv.slice(2), { steps: 'value', keep: 'flag' });
const STEPS = numberList(args.get('steps') ?? '250,500,1000');
const MiB = 2 ** 20;

interface Sample {
  workflows: number;
  cached: number;
  rss: number;
  heapUsed: number;
  threadHeapUsed: number;
  threadHeapTotal: number;
  external: number;
}

async function main(): Promise<void> {
  const dir = join(PROJECT_ROOT, '.tmp', `bench-worker-memory-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const quiet = () => undefined;
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    log: quiet,
    ephemeral: true,
  });
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default', log: quiet });
  await ensureDatabase(pg.adminUrl, 'bench');
  const databaseUrl = pg.url('bench');
  await migrateAndSeed(databaseUrl, quiet);
  const db = createKnex(databaseUrl);
  const taskQueue = 'bench-memory';
  const connection = await Connection.connect({ address: temporal.address });
  // The worker's payload codec key: the one in its DOUDI_DATA_DIR, made here first (engine/payload-codec.ts).
  const dataConverter = payloadDataConverter(loadPayloadKeys({ DOUDI_DATA_DIR: dir }));
  const client = new Client({ connection, namespace: 'default', dataConverter });

  const worker = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(__dirname, 'worker-memory', 'worker.ts')],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        DOUDI_DATA_DIR: dir,
        AUTH_JWT_SECRET: randomBytes(32).toString('hex'), // required by the worker's config; no token is signed here
        LOG_LEVEL: 'WARN',
      },
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    pipeLines(worker.stdout, (l) => {
      if (/worker polling/.test(l)) resolve();
    });
    pipeLines(worker.stderr, (l) => process.stderr.write(`[worker] ${l}\n`));
    worker.once('exit', (c) => reject(new Error(`worker exited with ${c}`)));
  });
  const measure = () =>
    new Promise<Omit<Sample, 'workflows'> & { inFlight: number }>((resolve) => {
      worker.once(
        'message',
        (m: {
          rss: number;
          heapUsed: number;
          external: number;
          threads: { usedHeap: number; totalHeap: number }[];
          cached: number;
          inFlight: number;
        }) =>
          resolve({
            cached: m.cached,
            rss: m.rss,
            heapUsed: m.heapUsed,
            external: m.external,
            inFlight: m.inFlight,
            threadHeapUsed: m.threads.reduce((s, t) => s + t.usedHeap, 0),
            threadHeapTotal: m.threads.reduce((s, t) => s + t.totalHeap, 0),
          }),
      );
      worker.send('measure');
    });
  /** Until the cache holds `n` workflows and nothing has been in flight for two consecutive readings. */
  const atRest = async (n: number) => {
    let quietReadings = 0;
    for (;;) {
      const m = await measure();
      quietReadings = m.cached >= n && m.inFlight === 0 ? quietReadings + 1 : 0;
      if (quietReadings >= 2) return m;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  };

  try {
    await ready;
    // Recipients determined a month ago: at rest, no check due yet, their timers running — a typical cached recipient.
    const determinedOn = addCalendarDays(shanghaiDate(Date.now()), -30);
    const total = Math.max(...STEPS);
    await populate(db, total, determinedOn);
    const ids: string[] = (await db('recipients').orderBy('id').select('id')).map((r) => r.id);
    const acts = createActivities({ db });
    await new Promise((r) => setTimeout(r, 5_000)); // the worker's start-up settles (schedule, bundle)
    const samples: Sample[] = [{ workflows: 0, ...(await atRest(0)) }];
    let started = 0;
    for (const step of STEPS) {
      await mapLimit(ids.slice(started, step), 16, async (recipientId) => {
        const start = await acts.openRecipientCase({ recipientId });
        await client.workflow.start('recipient', {
          taskQueue,
          workflowId: recipientProcess.workflowId(recipientId),
          args: [start],
        });
      });
      started = step;
      const m = await atRest(step);
      samples.push({ workflows: step, ...m });
      process.stderr.write(
        `[worker-memory] ${step} workflows: RSS ${(m.rss / MiB).toFixed(0)} MiB, cached ${m.cached}\n`,
      );
    }

    const xs = samples.map((s) => s.workflows);
    const per = (pick: (s: Sample) => number) => slope(xs, samples.map(pick));
    const perWorkflow = {
      rss: per((s) => s.rss),
      heapUsed: per((s) => s.heapUsed),
      threadHeapUsed: per((s) => s.threadHeapUsed),
      threadHeapTotal: per((s) => s.threadHeapTotal),
    };
    const cpu = cpus();
    const gib = (totalmem() / 2 ** 30).toFixed(0);
    const machine = `${cpu.length} × ${cpu[0]?.model ?? '?'}, ${gib} GiB, Node ${process.version}`;
    console.log(`\nWorker memory per cached recipient workflow (real worker, SDK defaults; ${machine})`);
    console.log(
      'after a full GC in the main thread and the workflow thread; ' +
        '"workflow heap" = the SDK\'s workflow thread, where cached workflows live\n',
    );
    const mib = (b: number) => (b / MiB).toFixed(1);
    console.log(
      table(
        [
          'workflows',
          'cached',
          'RSS MiB',
          'main heap MiB',
          'workflow heap used MiB',
          'workflow heap total MiB',
          'ΔRSS/workflow KiB',
        ],
        samples.map((s, i) => [
          String(s.workflows),
          String(s.cached),
          mib(s.rss),
          mib(s.heapUsed),
          mib(s.threadHeapUsed),
          mib(s.threadHeapTotal),
          i === 0 ? '' : ((s.rss - samples[0].rss) / s.workflows / 1024).toFixed(0),
        ]),
      ),
    );
    const p = perWorkflow;
    console.log(
      `\nslope over the steps: RSS ${mib(p.rss)} MiB, workflow heap used ${mib(p.threadHeapUsed)} MiB ` +
        `(total ${mib(p.threadHeapTotal)} MiB), main heap ${(p.heapUsed / 1024).toFixed(0)} KiB per cached workflow`,
    );
    const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
    const out = join(PROJECT_ROOT, 'bench', 'results', `worker-memory-${stamp}.json`);
    mkdirSync(join(out, '..'), { recursive: true });
    const report = { date: new Date().toISOString(), node: process.version, cpus: cpu.length, steps: STEPS };
    writeFileSync(out, `${JSON.stringify({ ...report, samples, perWorkflowBytes: perWorkflow }, null, 2)}\n`);
    console.log(`JSON: ${out}`);
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await connection.close();
    await db.destroy();
    await temporal.stop();
    await pg.stop();
    if (!args.has('keep')) rmSync(dir, { recursive: true, force: true });
  }
}

/** n approved application cases with their recipients, in set-based SQL; the household model is the fixture's. */
async function populate(db: ReturnType<typeof createKnex>, n: number, determinedOn: string): Promise<void> {
  const economy = JSON.stringify(singlePersonApplication().household);
  await db.raw(
    `insert into households (id, region_code, residence, economy)
    select md5('h' || i)::uuid, '410721100', 'RURAL', ?::jsonb from generate_series(1, ?) i`,
    [economy, n],
  );
  await db.raw(
    `insert into cases (id, process, workflow_id, household_id, region_code, status, received_on, decided_on,
                        created_by)
    select md5('c' || i)::uuid, 'application', 'application-' || md5('c' || i)::uuid, md5('h' || i)::uuid,
           '410721100', 'APPROVED', ?::date - 20, ?::date, 'bench'
      from generate_series(1, ?) i`,
    [determinedOn, determinedOn, n],
  );
  await db.raw(
    `insert into recipients (id, case_id, household_id, region_code, category, monthly_amount, start_month,
                             determined_on, status)
    select md5('r' || i)::uuid, md5('c' || i)::uuid, md5('h' || i)::uuid, '410721100', 'DIBAO', 220, ?, ?::date,
           'ACTIVE'
      from generate_series(1, ?) i`,
    [monthAfter(determinedOn), determinedOn, n],
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
