// GET /tasks and GET /deadlines?status=overdue with 100,000 rows in one township among 220,000 (and one small
// township): `npx tsx bench/lists.ts [--big 100000] [--others 20000] [--small 300] [--calls 50]`. Embedded PostgreSQL
// in .tmp/ (or DATABASE_URL's server, in a fresh database there); synthetic rows inserted with SQL; the real API
// (createApp) in this process, called over HTTP. Each list is timed without the indexes of
// migrations/007_list_indexes.ts, then with them, on the same data, with EXPLAIN (ANALYZE, BUFFERS) of the exact
// query the route sent. Prints figures, asserts nothing.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Knex } from 'knex';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT, loadConfig } from '../config';
import { createApp } from '../api/app';
import { CaseEngine } from '../engine/client';
import { signToken } from '../api/http/auth';
import type { Role } from '../domain/glossary';
import { createKnex } from '../data/db';
import * as m007 from '../migrations/007_list_indexes';
import { migrateAndSeed } from '../scripts/migrate';
import { databaseUrlFor, dropDatabase, ensureDatabase, startEmbeddedPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/ports';
import { TOWNSHIPS } from '../migrations/seed';
import { parseArgs, table } from './lib/args';
import { median, msSince, percentile } from './lib/stats';
import { populateLists } from './lists/populate';

const args = parseArgs(process.argv.slice(2), {
  big: 'value',
  others: 'value',
  small: 'value',
  calls: 'value',
  keep: 'flag',
});
const BIG = Number(args.get('big') ?? 100_000);
const OTHERS = Number(args.get('others') ?? 20_000);
const SMALL = Number(args.get('small') ?? 300);
const CALLS = Number(args.get('calls') ?? 50);
const BIG_TOWNSHIP = TOWNSHIPS[0][0];
const OTHER_TOWNSHIP = TOWNSHIPS[1][0];
// A township with few rows: walking the county's rows in due order to fill a page would read most of them.
const SMALL_TOWNSHIP = TOWNSHIPS[TOWNSHIPS.length - 1][0];

/** The lists timed: who asks, and what. */
const LISTS: { name: string; role: Role; region: string; path: string }[] = [
  {
    name: `GET /tasks (caseworker ${BIG_TOWNSHIP}, ${BIG.toLocaleString('en')} rows)`,
    role: 'caseworker',
    region: BIG_TOWNSHIP,
    path: '/api/v1/tasks',
  },
  {
    name: `GET /tasks (caseworker ${OTHER_TOWNSHIP}, ${OTHERS.toLocaleString('en')} rows)`,
    role: 'caseworker',
    region: OTHER_TOWNSHIP,
    path: '/api/v1/tasks',
  },
  {
    name: `GET /tasks (caseworker ${SMALL_TOWNSHIP}, ${SMALL.toLocaleString('en')} rows)`,
    role: 'caseworker',
    region: SMALL_TOWNSHIP,
    path: '/api/v1/tasks',
  },
  {
    name: 'GET /tasks (county officer, whole county)',
    role: 'county_officer',
    region: '410721',
    path: '/api/v1/tasks',
  },
  {
    name: `GET /deadlines?status=overdue (supervisor ${BIG_TOWNSHIP})`,
    role: 'supervisor',
    region: BIG_TOWNSHIP,
    path: '/api/v1/deadlines?status=overdue',
  },
  {
    name: `GET /deadlines?status=overdue (supervisor ${OTHER_TOWNSHIP})`,
    role: 'supervisor',
    region: OTHER_TOWNSHIP,
    path: '/api/v1/deadlines?status=overdue',
  },
  {
    name: `GET /deadlines?status=overdue (supervisor ${SMALL_TOWNSHIP})`,
    role: 'supervisor',
    region: SMALL_TOWNSHIP,
    path: '/api/v1/deadlines?status=overdue',
  },
  {
    name: 'GET /deadlines?status=overdue (supervisor, whole county)',
    role: 'supervisor',
    region: '410721',
    path: '/api/v1/deadlines?status=overdue',
  },
];

/** One query the route sent: its SQL, its plan (EXPLAIN ANALYZE), the indexes in it, its execution time. */
interface Explained {
  sql: string;
  plan: string;
  indexes: string[];
  executionMs: number;
}
interface Timing {
  median: number;
  p95: number;
  items: number;
  /** The page's query first, then the count of `total` (api/http/paging.ts). */
  queries: Explained[];
  /** The route's other queries (the inbox's names and calendar, api/task-view.ts), summed. */
  otherMs: number;
}

async function main(): Promise<void> {
  const dir = join(PROJECT_ROOT, '.tmp', `bench-lists-${process.pid}`);
  let stop = async () => undefined as void;
  let adminUrl = process.env.DATABASE_URL ? databaseUrlFor(process.env.DATABASE_URL, 'postgres') : undefined;
  if (!adminUrl) {
    mkdirSync(dir, { recursive: true });
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      log: () => undefined,
      ephemeral: true,
    });
    stop = () => pg.stop();
    adminUrl = pg.adminUrl;
  }
  const name = `doudi_bench_lists_${process.pid}`;
  await ensureDatabase(adminUrl, name);
  const databaseUrl = databaseUrlFor(adminUrl, name);
  const db = createKnex(databaseUrl);
  const connection = Connection.lazy({ address: '127.0.0.1:1' }); // the list routes never reach Temporal
  let server: Server | undefined;
  try {
    await migrateAndSeed(databaseUrl, () => undefined);
    const t0 = Date.now();
    const counts = await populateLists(db, { [BIG_TOWNSHIP]: BIG, [SMALL_TOWNSHIP]: SMALL }, OTHERS);
    const populateS = (Date.now() - t0) / 1000;
    const config = { ...loadConfig({ PORT: '0' }), databaseUrl, jwtSecret: randomBytes(32).toString('hex') };
    const app = createApp({ db, engine: new CaseEngine(new Client({ connection }), 'unused'), config });
    server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const results: Record<string, { before: Timing; after: Timing }> = {};
    await m007.down(db);
    await settle(db);
    for (const l of LISTS)
      results[l.name] = { before: await timeList(db, base, config.jwtSecret, l), after: undefined as never };
    const ti = Date.now();
    await m007.up(db);
    const indexS = (Date.now() - ti) / 1000;
    await settle(db);
    for (const l of LISTS) results[l.name].after = await timeList(db, base, config.jwtSecret, l);

    const version = (await db.raw('show server_version')).rows[0].server_version;
    const collation = (await db.raw('select datcollate from pg_database where datname = current_database()')).rows[0]
      .datcollate;
    const n = (x: number) => x.toLocaleString('en');
    console.log(
      `PostgreSQL ${version} (collation ${collation}); ` +
        `${n(counts.tasks)} tasks and ${n(counts.deadlines)} deadlines, ` +
        `${n(BIG)} of each in ${BIG_TOWNSHIP}, ${n(SMALL)} in ${SMALL_TOWNSHIP}, ${n(OTHERS)} in each other township ` +
        `(inserted in ${populateS.toFixed(1)} s); migration 007 built its indexes in ${indexS.toFixed(1)} s; ` +
        `${CALLS} calls per list after 5 warm-up calls, HTTP included\n`,
    );
    console.log(
      'API = the HTTP call (median, p95 over the calls); page + count = EXPLAIN ANALYZE execution times of the ' +
        "route's two queries on the list's table: the page, and the count behind `total`; " +
        '(+ n) = its other queries\n',
    );
    console.log(
      table(
        [
          'list',
          'items',
          'before: API ms',
          'p95',
          'page + count ms',
          'after: API ms',
          'p95',
          'page + count ms',
          'API',
          'after',
        ],
        LISTS.map((l) => {
          const { before: b, after: a } = results[l.name];
          const sql = (t: Timing) =>
            `${t.queries.map((q) => q.executionMs.toFixed(2)).join(' + ')} (+ ${t.otherMs.toFixed(2)})`;
          return [
            l.name,
            String(a.items),
            b.median.toFixed(2),
            b.p95.toFixed(2),
            sql(b),
            a.median.toFixed(2),
            a.p95.toFixed(2),
            sql(a),
            `${(b.median / a.median).toFixed(1)}×`,
            a.queries.map((q) => q.indexes.join(',') || 'seq').join(' + '),
          ];
        }),
      ),
    );
    for (const l of LISTS) {
      for (const phase of ['before', 'after'] as const) {
        for (const q of results[l.name][phase].queries)
          console.log(`\n--- ${l.name}, ${phase} 007\n${q.sql}\n${q.plan}`);
      }
    }
    const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
    const out = join(PROJECT_ROOT, 'bench', 'results', `lists-${stamp}.json`);
    mkdirSync(join(out, '..'), { recursive: true });
    const report = { date: new Date().toISOString(), postgres: version, collation, counts, big: BIG, small: SMALL };
    const run = { others: OTHERS, calls: CALLS, indexBuildS: indexS, results };
    writeFileSync(out, `${JSON.stringify({ ...report, ...run }, null, 2)}\n`);
    console.log(`\nJSON: ${out}`);
  } finally {
    if (server) await new Promise((r) => server!.close(r));
    await db.destroy();
    await connection.close().catch(() => undefined);
    if (!args.has('keep')) await dropDatabase(adminUrl, name).catch(() => undefined);
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Times one list over HTTP; EXPLAINs the query the route sent for it (captured from knex's query event). */
async function timeList(db: Knex, base: string, secret: string, l: (typeof LISTS)[number]): Promise<Timing> {
  const token = signToken(secret, { sub: `bench-${l.role}`, role: l.role, region: l.region });
  const get = async () => {
    const res = await fetch(`${base}${l.path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${l.path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { items: unknown[] };
  };
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', listen);
  const page = await get();
  db.off('query', listen);
  for (let i = 0; i < 4; i++) await get();
  const ms: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = process.hrtime.bigint();
    await get();
    ms.push(msSince(t));
  }
  const listQueries = seen.filter((s) => /from "(tasks|deadlines)"/.test(s.sql));
  if (!listQueries.length) throw new Error(`no list query seen for ${l.name}`);
  const queries: Explained[] = [];
  for (const q of listQueries) queries.push(await explain(db, q.sql, q.bindings));
  let otherMs = 0;
  for (const q of seen.filter((x) => !listQueries.includes(x)))
    otherMs += (await explain(db, q.sql, q.bindings)).executionMs;
  return { median: median(ms), p95: percentile(ms, 95), items: page.items.length, queries, otherMs };
}

async function explain(db: Knex, nativeSql: string, bindings: unknown[]): Promise<Explained> {
  // knex reports pg's native $n placeholders; raw() wants ?s (knex numbers them in order, so they map one to one).
  const sql = nativeSql.replace(/\$\d+/g, '?');
  const plan = (await db.raw(`explain (analyze, buffers, costs off) ${sql}`, bindings as Knex.RawBinding[])).rows
    .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
    .join('\n');
  const scans = plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g);
  const indexes = [...new Set([...scans].map((m) => m[1]))];
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  return { sql: nativeSql, plan, indexes, executionMs };
}

/** As autovacuum leaves a table that has settled: statistics, and the visibility map index-only scans need. */
async function settle(db: Knex): Promise<void> {
  for (const t of ['tasks', 'deadlines']) await db.raw(`vacuum analyze ${t}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
