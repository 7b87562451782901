// Time from POST /api/v1/emergencies to the recorded advance payment, on the real stack: embedded PostgreSQL (durable,
// as `npm start` runs it), a Temporal dev server, a worker and the API in this process. `npx tsx
// bench/emergency-advance.ts [N]`.
// Prints figures, asserts nothing.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../processes';
import { createApp } from '../api/app';
import { signToken } from '../api/http/auth';
import { CaseEngine } from '../engine/client';
import { loadConfig, PROJECT_ROOT } from '../config';
import { checkCharacter } from '../domain/idNumber';
import { createKnex } from '../data/db';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/lib/postgres';
import { startTemporalDevServer } from '../scripts/lib/temporal';
import { migrateAndSeed } from '../scripts/migrate';
import { workflowBundle } from '../test/workflow/bundle';
import { freePort } from '../scripts/lib/ports';

const N = Number(process.argv[2] ?? 50);
const WARMUP = 5;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const quiet = () => undefined;
  // Under the project (as the e2e setup does): a root-run PostgreSQL drops to its own user, which cannot enter a 0700
  // temp dir.
  const dir = join(PROJECT_ROOT, '.tmp', `bench-emergency-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), log: quiet });
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default', log: quiet });
  await ensureDatabase(pg.adminUrl, 'bench');
  const databaseUrl = pg.url('bench');
  await migrateAndSeed(databaseUrl, quiet);

  const db = createKnex(databaseUrl);
  const config = {
    ...loadConfig({ PORT: '0', DOUDI_DATA_DIR: dir }),
    jwtSecret: randomBytes(32).toString('hex'),
    databaseUrl,
    temporalAddress: temporal.address,
    taskQueue: 'bench',
  };
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: 'bench',
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db }),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const app = createApp({
    db,
    engine: new CaseEngine(new Client({ connection, namespace: 'default' }), 'bench'),
    config,
  });
  const http = await new Promise<import('node:http').Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const base = `http://127.0.0.1:${(http.address() as { port: number }).port}/api/v1`;
  const token = signToken(config.jwtSecret, { sub: 'bench-caseworker', role: 'caseworker', region: '410721100' });

  const answerMs: number[] = [];
  const rowMs: number[] = [];
  try {
    for (let i = 0; i < WARMUP + N; i++) {
      const first17 = `320106199001${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
      const body = {
        regionCode: '410721100',
        person: { name: '测试', idNumber: first17 + checkCharacter(first17) },
        residence: 'RURAL',
        hardship: 'DISASTER',
        description: 'bench',
        requestedAmount: 300,
      };
      const t0 = Date.now();
      const h0 = process.hrtime.bigint();
      const res = await fetch(`${base}/emergencies`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${i}`,
        },
        body: JSON.stringify(body),
      });
      const answered = Number(process.hrtime.bigint() - h0) / 1e6;
      const out = (await res.json()) as { caseId: string };
      if (res.status !== 201) throw new Error(`POST /emergencies answered ${res.status}: ${JSON.stringify(out)}`);
      const row = await db('payments').where({ case_id: out.caseId, kind: 'EMERGENCY_ADVANCE' }).first('created_at');
      if (!row) throw new Error('no payment row after the answer');
      if (i < WARMUP) continue;
      answerMs.push(answered);
      rowMs.push(new Date(row.created_at).getTime() - t0); // the row's commit time (same host clock)
    }
  } finally {
    await new Promise((r) => http.close(r));
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await db.destroy();
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const a = [...answerMs].sort((x, y) => x - y);
  const r = [...rowMs].sort((x, y) => x - y);
  const f = (n: number) => n.toFixed(1);
  console.log(
    `emergency advance, ${N} sequential requests after ${WARMUP} warm-up (embedded PostgreSQL with fsync, ` +
      `Temporal dev server)`,
  );
  console.log(
    `  POST → payment row committed: median ${f(pct(r, 50))} ms, p95 ${f(pct(r, 95))} ms, max ${f(r[r.length - 1])} ms`,
  );
  console.log(
    `  POST → 201 answer (row present, justification task open): median ${f(pct(a, 50))} ms, p95 ` +
      `${f(pct(a, 95))} ms, max ${f(a[a.length - 1])} ms`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
