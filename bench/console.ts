// The console's production bundle and its inbox: `npm run bench:console` (or `npx tsx bench/console.ts`).
// 1. Size of web/dist (built first if stale): every asset raw and gzip-compressed (level 9), and what the first page
//    load fetches (index.html's entry script and stylesheet, plus the inbox's own chunks).
// 2. Time to first render of the inbox with 500 open tasks: embedded PostgreSQL in a temporary directory, 500 cases
//    with their tasks seeded in one township, the real API serving the bundle, Debian's Chromium opening /inbox
//    signed in; `performance.getEntriesByName('inbox-rendered')` (marked once the rows are on screen) since
//    navigation start. Cold = a fresh browser profile; warm = the same browser again. Prints figures, asserts nothing.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { generateKeySet } from '../data/id-keys';
import { resolvePeople } from '../data/people';
import { createKnex } from '../migrations';
import { migrateAndSeed } from '../scripts/migrate';
import { startEmbeddedPostgres, ensureDatabase } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/ports';
import { ensureWebBundle } from '../scripts/lib/web-bundle';
import { createApp } from '../api/app';
import { CaseEngine } from '../engine/client';
import { createUser } from '../data/users';
import { WEB_DIST } from '../api/static';
import { loadConfig } from '../config';
import { idNumber } from '../test/support/fixtures';
import { launchChromium } from '../test/support/browser';

process.env.DOUDI_ID_KEYS ??= generateKeySet('bench'); // a throw-away key set: nothing written to .data/

const TASKS = Number(process.env.BENCH_TASKS ?? 500);
const RUNS = 5;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function bundleSize(): void {
  const assets = join(WEB_DIST, 'assets');
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  let raw = 0;
  let gz = 0;
  const sizes = new Map<string, number>();
  for (const f of files) {
    const buf = readFileSync(join(assets, f));
    const g = gzipSync(buf, { level: 9 }).length;
    raw += statSync(join(assets, f)).size;
    gz += g;
    sizes.set(f, g);
  }
  const index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const initial = [...index.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]);
  const initialGz = initial.reduce((n, f) => n + (sizes.get(f) ?? 0), 0) + gzipSync(index, { level: 9 }).length;
  console.log(`bundle: ${files.length} files, ${kb(raw)} raw, ${kb(gz)} gzip in total`);
  console.log(`first load (index.html + ${initial.join(' + ')}): ${kb(initialGz)} gzip`);
  for (const [f, g] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 6))
    console.log(`  ${f.padEnd(40)} ${kb(g)} gzip`);
}

async function main(): Promise<void> {
  await ensureWebBundle((l) => console.log(l));
  bundleSize();

  const dir = mkdtempSync(join(tmpdir(), 'doudi-bench-console-'));
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as its own user when we are root
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    log: () => undefined,
    ephemeral: true,
  });
  let server: Server | undefined;
  try {
    await ensureDatabase(pg.adminUrl, 'bench');
    const url = pg.url('bench');
    await migrateAndSeed(url, () => undefined);
    const db = createKnex(url);
    await seedInbox(db);
    await createUser(db, {
      username: 'bench',
      name: '性能测试经办人',
      role: 'caseworker',
      regionCode: '410721100',
      password: 'bench-password-123',
    });
    // GET /tasks needs no Temporal; a lazy connection is never opened.
    const config = { ...loadConfig({ PORT: '0' }), databaseUrl: url };
    const app = createApp({
      db,
      engine: new CaseEngine(new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }), 'bench'),
      config,
    });
    server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const session = (await (
      await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench', password: 'bench-password-123' }),
      })
    ).json()) as { token: string };

    const api: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await (
        await fetch(`${base}/api/v1/tasks?limit=500`, { headers: { authorization: `Bearer ${session.token}` } })
      ).json();
      api.push(performance.now() - t);
    }
    console.log(`GET /tasks?limit=500 alone: ${api.map((t) => t.toFixed(0)).join(', ')} ms`);

    const browser = await launchChromium();
    try {
      const times: number[] = [];
      const fresh = () => browser.newContext({ viewport: { width: 1440, height: 900 } });
      let shared: Awaited<ReturnType<typeof fresh>> | undefined;
      for (let i = 0; i < RUNS; i++) {
        // Run 1 in a fresh context (nothing cached); later runs share one, as a person reopening the inbox does.
        const context = i === 0 ? await fresh() : (shared ??= await fresh());
        if (i <= 1)
          await context.addInitScript({
            content: `sessionStorage.setItem('doudi.session', ${JSON.stringify(JSON.stringify(session))});`,
          });
        const page = await context.newPage();
        await page.goto(`${base}/inbox`);
        await page.waitForFunction(() => performance.getEntriesByName('inbox-rendered').length > 0, undefined, {
          timeout: 60_000,
        });
        const [ms, script, evaluated, fetching] = await page.evaluate(() => [
          performance.getEntriesByName('inbox-rendered')[0].startTime,
          performance
            .getEntriesByType('resource')
            .filter((r) => r.name.includes('/api/v1/tasks'))
            .map((r) => r.duration)[0] ?? 0,
          performance.getEntriesByName('console-script')[0]?.startTime ?? 0,
          performance.getEntriesByName('inbox-fetch')[0]?.startTime ?? 0,
        ]);
        const total = await page.getByTestId('inbox-total').textContent();
        const rows = await page.locator('[data-testid="inbox"] tbody tr.ant-table-row').count();
        times.push(ms);
        console.log(
          `inbox run ${i + 1}${i === 0 ? ' (cold)' : ''}: first render ${ms.toFixed(0)} ms after navigation start ` +
            `(bundle evaluated at ${evaluated.toFixed(0)}, tasks asked at ${fetching.toFixed(0)}, ` +
            `GET /tasks ${script.toFixed(0)} ms); ${total}, ${rows} rows on the first page`,
        );
        await page.close();
        if (i === 0) await context.close();
      }
      const warm = times.slice(1).sort((a, b) => a - b);
      console.log(
        `inbox with ${TASKS} tasks: cold ${times[0].toFixed(0)} ms, ` +
          `warm median ${warm[Math.floor(warm.length / 2)].toFixed(0)} ms`,
      );
    } finally {
      await browser.close();
    }
    await db.destroy();
  } finally {
    server?.close();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** TASKS cases of one township, each with an open caseworker task due between 3 working days ago and 2 weeks ahead. */
async function seedInbox(db: ReturnType<typeof createKnex>): Promise<void> {
  const types = ['accept', 'homeVisit', 'economicCheck', 'refusalNotice', 'annualRecheck', 'changeReport'];
  const surnames = '王李张刘陈杨赵黄周吴';
  const rows = Array.from({ length: TASKS }, (_, i) => {
    const caseId = randomUUID();
    const householdId = randomUUID();
    const due = new Date(Date.now() + ((i % 17) - 3) * 86_400_000);
    return {
      household: { id: householdId, region_code: '410721100', residence: 'RURAL' },
      person: {
        name: `${surnames[i % 10]}秀${'英兰梅芳华'[i % 5]}`,
        idNumber: idNumber('1975-06-15', 'F'),
        birthDate: '1975-06-15',
        sex: 'F' as const,
      },
      case: {
        id: caseId,
        process: 'application',
        workflow_id: `bench-${caseId}`,
        household_id: householdId,
        region_code: '410721100',
        status: 'IN_REVIEW',
        received_on: '2026-01-05',
        created_by: 'bench',
      },
      task: {
        id: `${caseId}:${types[i % types.length]}:1`,
        case_id: caseId,
        type: types[i % types.length],
        region_code: '410721100',
        candidate_role: 'caseworker',
        status: 'OPEN',
        created_at: new Date(),
        due_at: i % 6 === 0 ? null : due,
      },
    };
  });
  await db.batchInsert(
    'households',
    rows.map((r) => r.household),
    500,
  );
  const people = await db.transaction((trx) =>
    resolvePeople(
      trx,
      rows.map((r) => r.person),
    ),
  );
  const personOf = (r: (typeof rows)[number]) => people.get(r.person.idNumber)!.id;
  await db.batchInsert(
    'members',
    rows.map((r) => ({
      id: randomUUID(),
      household_id: r.household.id,
      person_id: personOf(r),
      relation: 'APPLICANT',
      birth_date: '1975-06-15',
      sex: 'F',
      joined_on: '2026-01-05',
    })),
    500,
  );
  await db.batchInsert(
    'cases',
    rows.map((r) => r.case),
    500,
  );
  await db.batchInsert(
    'case_people',
    rows.map((r) => ({ case_id: r.case.id, person_id: personOf(r), member_key: 'm1', relation: 'APPLICANT' })),
    500,
  );
  await db.batchInsert(
    'tasks',
    rows.map((r) => r.task),
    500,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
