// The population database at county scale: `npx tsx --expose-gc bench/population.ts [people] [importRows]` (defaults
// 1,000,000 and 100,000). Exact ID-number lookup among `people` persons (median, p99), the assistance chain of a
// household with 200 entries, and the import of a department file of `importRows` rows as CSV and as XLSX (rows/s,
// peak memory). Runs on embedded PostgreSQL in .tmp/ (removed after), or on DATABASE_URL in a fresh database.
// Prints, asserts nothing.
import { mkdirSync, rmSync, createReadStream, createWriteStream, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../config';
import { householdChain, personChain } from '../data/assistance-chain';
import { createKnex } from '../data/db';
import { generateKeySet } from '../data/id-keys';
import { importAssistance } from '../data/import/assistance';
import { readDepartmentFile, type FileFormat } from '../data/import/department-file';
import { findPersonByIdNumber } from '../data/people';
import { recordFromFileRow } from '../domain/assistance-records';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/ports';
import { migrateAndSeed } from '../scripts/migrate';
import { benchIdNumber, copyPeople, md5Uuid } from './lib/people';

process.env.DOUDI_ID_KEYS ??= generateKeySet('bench'); // a throw-away key set: nothing written to .data/

const PEOPLE = Number(process.argv[2] ?? 1_000_000);
const IMPORT_ROWS = Number(process.argv[3] ?? 100_000);
/** What the bench prints, also written to bench/results/population-<time>.json. */
const figures: string[] = [];
const say = (line: string) => {
  figures.push(line);
  console.log(line);
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const ms = (ns: bigint) => Number(ns) / 1e6;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
}

/**
 * Peak memory of this process while `fn` runs, sampled every 10 ms: RSS, and the JS heap + buffers it holds (RSS
 * keeps what earlier phases took from the system, so the heap says what the import itself needs).
 */
async function peakDuring<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; before: number; peak: number; heapBefore: number; heapPeak: number }> {
  const heap = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const before = process.memoryUsage().rss;
  const heapBefore = heap();
  let peak = before;
  let heapPeak = heapBefore;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    heapPeak = Math.max(heapPeak, heap());
  };
  const timer = setInterval(sample, 10);
  try {
    const result = await fn();
    sample();
    return { result, before, peak, heapBefore, heapPeak };
  } finally {
    clearInterval(timer);
  }
}

async function lookups(db: Knex) {
  const samples: number[] = [];
  for (let k = 0; k < 5000; k++) {
    const i = 1 + Math.floor(Math.random() * PEOPLE);
    const t = process.hrtime.bigint();
    const p = await findPersonByIdNumber(db, benchIdNumber(i).idNumber);
    samples.push(ms(process.hrtime.bigint() - t));
    if (!p) throw new Error(`person ${i} not found`);
  }
  const miss = await findPersonByIdNumber(db, benchIdNumber(PEOPLE + 7).idNumber);
  if (miss) throw new Error('found a person that does not exist');
  return stats(samples.slice(100)); // the first hundred warm the cache and the pool
}

/** One household of two, one approved case, 120 monthly payments, 30 stage payments, 50 department records. */
async function bigHousehold(db: Knex): Promise<string> {
  const h = 'b0000000-0000-0000-0000-000000000001';
  const c = 'c0000000-0000-0000-0000-000000000001';
  await db('households').insert({ id: h, region_code: '410721100', residence: 'RURAL' });
  await db.raw(
    `insert into members (id, household_id, person_id, relation, birth_date, sex, joined_on)
    select gen_random_uuid(), ?, md5('p' || i)::uuid, case i when 1 then 'APPLICANT' else 'SPOUSE' end,
           '1970-01-01', 'F', '2015-01-01' from generate_series(1, 2) i`,
    [h],
  );
  await db('cases').insert({
    id: c,
    process: 'application',
    workflow_id: `application-${c}`,
    household_id: h,
    region_code: '410721100',
    status: 'APPROVED',
    received_on: '2015-01-01',
    created_by: 'bench',
  });
  await db.raw(
    `insert into case_people (case_id, person_id, member_key, relation)
    select ?, md5('p' || i)::uuid, 'm' || i, case i when 1 then 'APPLICANT' else 'SPOUSE' end
      from generate_series(1, 2) i`,
    [c],
  );
  await db('decisions').insert({
    id: `${c}:decision:1`,
    case_id: c,
    outcome: 'APPROVED',
    category: 'DIBAO',
    monthly_amount: 300,
    start_month: '2015-02',
    decided_on: '2015-01-20',
    decided_by: 'bench',
  });
  await db.raw(
    `insert into payments (id, kind, household_id, person_id, case_id, region_code, month, category, amount)
    select 'monthly:bench:' || m, 'MONTHLY', ?, md5('p1')::uuid, ?, '410721100',
           to_char(date '2015-02-01' + (m || ' month')::interval, 'YYYY-MM'), 'DIBAO', 300
      from generate_series(0, 119) m`,
    [h, c],
  );
  await db.raw(
    `insert into payments (id, kind, household_id, person_id, case_id, region_code, month, amount, details)
    select 'stage:bench:' || m, 'STAGE', ?, md5('p1')::uuid, ?, '410721100',
           to_char(date '2016-01-01' + (m || ' month')::interval, 'YYYY-MM'), 150,
           jsonb_build_object('paidOn', to_char(date '2016-01-05' + (m || ' month')::interval, 'YYYY-MM-DD'))
      from generate_series(0, 29) m`,
    [h, c],
  );
  await db.raw(
    `insert into assistance_records (id, person_id, household_id, region_code, kind, department, reference,
                                                period, granted_on, amount, batch_id, reported_by)
    select 'MEDICAL_INSURANCE:bench-' || k, md5('p' || (1 + k % 2))::uuid, ?, '410721100',
           case k % 2 when 0 then 'MEDICAL_SUBSIDY' else 'MEDICAL_ASSISTANCE' end, 'MEDICAL_INSURANCE', 'bench-' || k,
           (2015 + k / 4)::text, date '2015-03-01' + k * 70, 400, 'bench', 'bench'
      from generate_series(0, 49) k`,
    [h],
  );
  return h;
}

async function chains(db: Knex, householdId: string) {
  const entries = (await householdChain(db, householdId)).timeline.length;
  const hh: number[] = [];
  const person: number[] = [];
  for (let k = 0; k < 300; k++) {
    let t = process.hrtime.bigint();
    await householdChain(db, householdId);
    hh.push(ms(process.hrtime.bigint() - t));
    t = process.hrtime.bigint();
    await personChain(db, md5Uuid('p1'));
    person.push(ms(process.hrtime.bigint() - t));
  }
  return { entries, household: stats(hh.slice(20)), person: stats(person.slice(20)) };
}

/** A department file: 85 % people already known, 14 % new (named), 1 % broken rows. */
async function writeFile(path: string, format: FileFormat, rows: number, tag: string) {
  const row = (k: number): (string | number)[] => {
    const known = k % 100 < 85;
    const p = benchIdNumber(known ? 1 + ((k * 7919) % PEOPLE) : PEOPLE + 1 + k);
    const bad = k % 100 === 99;
    return [
      `${tag}-${k}`,
      bad ? p.idNumber.slice(0, 17) + (p.idNumber[17] === '0' ? '1' : '0') : p.idNumber,
      known ? '' : `新人${k}`,
      'MEDICAL_ASSISTANCE',
      '2026',
      '2026-03-15',
      (100 + (k % 900)).toFixed(2),
      '住院',
    ];
  };
  const header = ['reference', 'idNumber', 'name', 'kind', 'period', 'grantedOn', 'amount', 'note'];
  if (format === 'csv') {
    const out = createWriteStream(path);
    out.write(header.join(',') + '\n');
    for (let k = 0; k < rows; k++)
      if (!out.write(row(k).join(',') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise<void>((r) => out.end(() => r()));
    return;
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const ws = wb.addWorksheet('report');
  ws.addRow(header).commit();
  for (let k = 0; k < rows; k++) ws.addRow(row(k)).commit();
  ws.commit();
  await wb.commit();
}

async function importFile(db: Knex, path: string, format: FileFormat, batchId: string) {
  // With --expose-gc, what writing the file left behind is collected first, so the peak is the import's own.
  (globalThis as { gc?: () => void }).gc?.();
  const t = Date.now();
  const { result, before, peak, heapBefore, heapPeak } = await peakDuring(() =>
    importAssistance(db, {
      department: 'MEDICAL_INSURANCE',
      batchId,
      source: 'CLI',
      reportedBy: { sub: 'bench', role: 'admin' },
      fallbackRegion: '410721',
      today: '2026-06-01',
      rows: (async function* () {
        for await (const r of readDepartmentFile(createReadStream(path), format, undefined, statSync(path).size))
          yield { line: r.line, raw: recordFromFileRow(r.cells) };
      })(),
    }),
  );
  const s = (Date.now() - t) / 1000;
  say(
    `import ${format.toUpperCase()} ${IMPORT_ROWS.toLocaleString()} rows (${mb(statSync(path).size)}): ` +
      `${s.toFixed(1)} s, ` +
      `${Math.round(IMPORT_ROWS / s).toLocaleString()} rows/s; accepted ${result.accepted.toLocaleString()}, ` +
      `rejected ${result.rejected.toLocaleString()}; node heap+buffers ${mb(heapBefore)} → peak ${mb(heapPeak)}, ` +
      `RSS ${mb(before)} → peak ${mb(peak)}`,
  );
}

async function main() {
  const dir = join(PROJECT_ROOT, '.tmp', `bench-population-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  let url: string;
  let stop: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const admin = new URL(process.env.DATABASE_URL);
    const name = `doudi_bench_population_${process.pid}`;
    await ensureDatabase(process.env.DATABASE_URL, name);
    admin.pathname = `/${name}`;
    url = admin.toString();
    stop = async () => {
      const c = new Client({ connectionString: process.env.DATABASE_URL });
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
    const db = createKnex(url, { min: 1, max: 4 });
    let t = Date.now();
    await copyPeople(db, PEOPLE);
    await db.raw('analyze people');
    say(`${PEOPLE.toLocaleString()} people (hash + AES-GCM each) copied in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    say(`exact ID lookup among ${PEOPLE.toLocaleString()} people (HMAC + index): ${await lookups(db)}`);

    const h = await bigHousehold(db);
    const c = await chains(db, h);
    say(`assistance chain of a household with ${c.entries} entries: ${c.household}`);
    say(`assistance chain of its applicant: ${c.person}`);

    for (const format of ['csv', 'xlsx'] as const) {
      const path = join(dir, `report.${format}`);
      t = Date.now();
      await writeFile(path, format, IMPORT_ROWS, format);
      say(`wrote ${format} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      await importFile(db, path, format, `bench-${format}`);
    }
    say(`process peak RSS over the whole bench: ${mb(process.resourceUsage().maxRSS * 1024)}`);
    await db.destroy();
    const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
    const out = join(PROJECT_ROOT, 'bench', 'results', `population-${stamp}.json`);
    const report = { date: new Date().toISOString(), people: PEOPLE, importRows: IMPORT_ROWS, figures };
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`JSON: ${out}`);
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
