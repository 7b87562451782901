// Time and memory to produce one month's payment roster for 100,000 recipients, and to export it as CSV:
// `npx tsx bench/roster.ts [recipients]`. Runs on embedded PostgreSQL in a temporary directory (or on DATABASE_URL,
// in a fresh database created there; the embedded data lives in .tmp/ and is removed after). Prints figures, asserts
// nothing.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { Client } from 'pg';
import { startEmbeddedPostgres, ensureDatabase } from '../scripts/lib/postgres';
import { migrateAndSeed } from '../scripts/migrate';
import { createKnex } from '../data/db';
import { rosterActivities } from '../processes/roster/activities';
import { renderRosterPdf, writeRosterCsv } from '../processes/roster/export';
import { PROJECT_ROOT } from '../config';
import { freePort } from '../scripts/lib/ports';
import { copyPeople } from './lib/people';
import { generateKeySet } from '../data/id-keys';

process.env.DOUDI_ID_KEYS ??= generateKeySet('bench'); // a throw-away key set: nothing written to .data/

const N = Number(process.argv[2] ?? 100_000);
const MONTH = '2026-06';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** Peak resident memory of the PostgreSQL backend serving `db` (local servers only: read from /proc). */
async function backendPeak(db: Knex): Promise<string> {
  const { rows } = await db.raw('select pg_backend_pid() as pid');
  try {
    const status = readFileSync(`/proc/${rows[0].pid}/status`, 'utf8');
    return /VmHWM:\s+(\d+) kB/.exec(status)?.[1] ? mb(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024) : 'n/a';
  } catch {
    return 'n/a (server not local)';
  }
}

/** N recipients over the 7 townships, in set-based SQL; 10% with an adjustment from MONTH, 5% terminated before it. */
async function populate(db: Knex): Promise<void> {
  await db.raw(
    `
    insert into households (id, region_code, residence, economy)
    select md5('h' || i)::uuid, t.code, 'RURAL',
           jsonb_build_object('members', jsonb_build_array(jsonb_build_object('memberId', 'm1')))
      from generate_series(1, ?) i
      join lateral (select code from regions where level = 'TOWNSHIP' order by code offset (i % 7) limit 1) t on true`,
    [N],
  );
  await copyPeople(db, N);
  await db.raw(
    `
    insert into members (id, household_id, person_id, relation, birth_date, sex, joined_on)
    select md5('m' || i)::uuid, md5('h' || i)::uuid, md5('p' || i)::uuid, 'APPLICANT', '1970-01-01', 'F', '2025-01-01'
      from generate_series(1, ?) i`,
    [N],
  );
  await db.raw(
    `
    insert into cases (id, process, workflow_id, household_id, region_code, status, received_on, created_by)
    select md5('c' || i)::uuid, 'application', 'application-' || md5('c' || i), md5('h' || i)::uuid, h.region_code,
           'APPROVED', '2025-01-01', 'bench'
      from generate_series(1, ?) i join households h on h.id = md5('h' || i)::uuid`,
    [N],
  );
  await db.raw(
    `
    insert into recipients (id, case_id, household_id, person_id, region_code, category, monthly_amount, start_month,
                            determined_on, status, stop_month)
    select md5('r' || i)::uuid, md5('c' || i)::uuid, md5('h' || i)::uuid, md5('p' || i)::uuid, h.region_code,
           case when i % 10 = 0 then 'TEKUN' else 'DIBAO' end, 200 + (i % 300), '2025-02', '2025-01-15',
           case when i % 20 = 0 then 'TERMINATED' else 'ACTIVE' end, case when i % 20 = 0 then '2026-05' end
      from generate_series(1, ?) i join households h on h.id = md5('h' || i)::uuid`,
    [N],
  );
  await db.raw(`insert into recipient_amounts (recipient_id, from_month, category, amount, source)
    select id, start_month, category, monthly_amount, 'enrolment' from recipients`);
  await db.raw(
    `insert into recipient_amounts (recipient_id, from_month, category, amount, source)
    select md5('r' || i)::uuid, '2026-04', 'DIBAO', 150, 'bench-adjust' from generate_series(10, ?, 10) i`,
    [N],
  );
  await db.raw('analyze');
}

async function main(): Promise<void> {
  // Under the project, not /tmp: when run as root, PostgreSQL runs as its own user and must reach the directory.
  const dir = join(PROJECT_ROOT, '.tmp', `bench-pg-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  let stop = async () => undefined as void;
  let url: string;
  if (process.env.DATABASE_URL) {
    const admin = new URL(process.env.DATABASE_URL);
    admin.pathname = '/postgres';
    const name = `doudi_bench_${process.pid}`;
    await ensureDatabase(admin.toString(), name);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    stop = async () => {
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`drop database ${name}`);
      await c.end();
    };
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      log: () => undefined,
      ephemeral: true,
    });
    await ensureDatabase(pg.adminUrl, 'bench');
    url = pg.url('bench');
    stop = () => pg.stop();
  }
  try {
    await migrateAndSeed(url, () => undefined);
    // One connection, so the backend whose memory is read is the one that did the work.
    const db = createKnex(url, { min: 1, max: 1 });
    let t = Date.now();
    await populate(db);
    console.log(`populated ${N.toLocaleString()} recipients in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const { generateMonthlyRoster } = rosterActivities({ db });
    const rss0 = process.memoryUsage().rss;
    t = Date.now();
    const first = await generateMonthlyRoster({ month: MONTH, run: 'bench-1' });
    const firstMs = Date.now() - t;
    t = Date.now();
    const second = await generateMonthlyRoster({ month: MONTH, run: 'bench-2' });
    const secondMs = Date.now() - t;
    const rss1 = process.memoryUsage().rss;
    const backend = await backendPeak(db);
    const size = (await db.raw(`select pg_total_relation_size('payments') as b`)).rows[0].b;

    let bytes = 0;
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    t = Date.now();
    const rows = await writeRosterCsv(db, MONTH, '410721', (chunk) => {
      bytes += Buffer.byteLength(chunk);
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    });
    const csvMs = Date.now() - t;

    t = Date.now();
    const pdf = await renderRosterPdf(db, MONTH, '410721100', '七里营镇');
    const pdfMs = Date.now() - t;

    console.log(
      `roster ${MONTH}: first run ${first.inserted.toLocaleString()} lines inserted in ${firstMs} ms (total ` +
        `${first.totalAmount.toLocaleString()} yuan)`,
    );
    console.log(
      `roster ${MONTH}: second run ${second.inserted} lines inserted in ${secondMs} ms (lines still ` +
        `${second.lines.toLocaleString()})`,
    );
    console.log(
      `  node RSS ${mb(rss0)} → ${mb(rss1)} around both runs (set-based: rows never reach Node); PostgreSQL ` +
        `backend peak RSS ${backend}; payments table ${mb(Number(size))}`,
    );
    console.log(
      `CSV export: ${rows.toLocaleString()} rows, ${mb(bytes)} in ${csvMs} ms; heap ${mb(heap0)} → max ` +
        `${mb(heapMax)} while streaming`,
    );
    console.log(`PDF roster, one township (${mb(pdf.length)}): ${pdfMs} ms`);
    console.log(`process peak RSS over the whole bench: ${mb(peakRss())}`);
    await db.destroy();
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
