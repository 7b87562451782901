// GET /deadlines/summary over 1,000,000 deadline rows: `npx tsx bench/deadlines-summary.ts` (embedded PostgreSQL in a
// temporary directory) or with DATABASE_URL=postgres://… (a fresh database is created on that server and dropped).
// Times the function the route uses (api/deadline-supervision.ts) and, for comparison, the same counts aggregated
// from the deadline rows themselves. Prints figures, asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createKnex } from '../data/db';
import { migrateAndSeed } from '../scripts/migrate';
import { startEmbeddedPostgres, ensureDatabase, dropDatabase, databaseUrlFor } from '../scripts/lib/postgres';
import { deadlineSummary } from '../data/deadline-summary';
import { TOWNSHIPS } from '../migrations/seed';
import { DEADLINE_KINDS } from '../processes';
import { freePort } from '../scripts/lib/ports';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = 20;

async function time(fn: () => Promise<unknown>): Promise<{ median: number; p95: number; min: number }> {
  await fn(); // warm the cache and the plan
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], p95: ms[Math.ceil(ms.length * 0.95) - 1], min: ms[0] };
}

async function main(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => undefined as void;
  const dir = mkdtempSync(join(tmpdir(), 'doudi-bench-pg-'));
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      log: () => undefined,
      ephemeral: true,
    });
    stop = () => pg.stop();
    adminUrl = pg.adminUrl;
  }
  const name = `doudi_bench_${process.pid}`;
  await ensureDatabase(databaseUrlFor(adminUrl, 'postgres'), name);
  const databaseUrl = databaseUrlFor(adminUrl, name);
  try {
    await migrateAndSeed(databaseUrl, () => undefined);
    const db = createKnex(databaseUrl, { min: 1, max: 2 });
    try {
      // One case per township; the deadlines spread over townships, kinds and statuses like a few years of a county.
      const cases = TOWNSHIPS.map(([code], i) => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        code,
      }));
      await db('cases').insert(
        cases.map((c) => ({
          id: c.id,
          process: 'application',
          workflow_id: `bench-${c.id}`,
          region_code: c.code,
          status: 'IN_REVIEW',
          received_on: '2025-01-02',
          created_by: 'bench',
        })),
      );
      const t0 = Date.now();
      await db.raw(`
        insert into deadlines (id, case_id, kind, region_code, started_on, working_days, due_on, due_at, status)
        select 'bench:' || g, (array[${cases.map((c) => `'${c.id}'::uuid`).join(',')}])[1 + g % ${cases.length}],
               (array[${DEADLINE_KINDS.map((k) => `'${k}'`).join(',')}])[1 + (g / 7) % ${DEADLINE_KINDS.length}],
               (array[${cases.map((c) => `'${c.code}'`).join(',')}])[1 + g % ${cases.length}],
               date '2025-01-02' + (g % 700), 10, date '2025-01-16' + (g % 700), timestamptz '2025-01-16 ' +
                 '15:59:59+00' + (g % 700) * interval '1 day',
               (array['met','met','met','met','met','met','cancelled','overdue','pending','pending'])[1 + (g / 91) % 10]
        from generate_series(1, ${ROWS}) g`);
      const insertMs = Date.now() - t0;
      await db.raw('analyze deadlines');
      await db.raw('analyze deadline_counts');
      const total = Number((await db('deadlines').count('* as n'))[0].n);

      const county = await time(() => deadlineSummary(db, '410721'));
      const township = await time(() => deadlineSummary(db, '410721100'));
      const direct = await time(() =>
        db('deadlines')
          .where('region_code', 'like', '410721%')
          .select(db.raw('left(region_code, 9) as township'), 'kind', 'status')
          .count('* as n')
          .groupBy(1, 2, 3),
      );
      const check = await deadlineSummary(db, '410721');
      const counted = check.reduce((s, r) => s + r.count, 0);
      const c = new Client({ connectionString: databaseUrl });
      await c.connect();
      const version = (await c.query('show server_version')).rows[0].server_version;
      await c.end();

      const f = (t: { median: number; p95: number; min: number }) =>
        `median ${t.median.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms, min ${t.min.toFixed(2)} ms`;
      console.log(
        `PostgreSQL ${version}; ${total.toLocaleString('en')} deadline rows inserted in ` +
          `${(insertMs / 1000).toFixed(1)} s (triggers maintaining deadline_counts included); ` +
          `${RUNS} runs each after one warm-up`,
      );
      console.log(
        `  GET /deadlines/summary, county scope (deadlineSummary, ${check.length} groups, counts sum ` +
          `${counted.toLocaleString('en')}): ${f(county)}`,
      );
      console.log(`  GET /deadlines/summary, township scope:                                        ${f(township)}`);
      console.log(`  for comparison, the same counts aggregated from the deadline rows:             ${f(direct)}`);
    } finally {
      await db.destroy();
    }
  } finally {
    await dropDatabase(databaseUrlFor(databaseUrl, 'postgres'), name);
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
