// The command-line import of a monitoring dataset (`npm run import -- --dataset …`, scripts/import.ts →
// data/import/monitoring.ts) as an operator runs it: the real script in a child process against the e2e database, as
// the application role the API uses. A file with good rows and a bad one: the exit code, the printed summary, the
// batch and its rows; the same file again adds nothing; another batch id is another snapshot of the same people.
// The suites share the database, and other files compare the latest snapshot of each dataset: this file's snapshots
// are dated long ago, so never the latest one another file compares (were they, one hardship alone raises nothing);
// it checks its own batches and people only.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT } from '../../config';
import { createKnex } from '../../data/db';
import { lookupHash, openIdNumber } from '../../data/id-keys';
import { E2E_ENV_FILE } from '../support/global-setup';
import { idNumber } from '../support/fixtures';
import { useE2eIdKeys } from '../support/stack';

jest.setTimeout(120_000);

const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { databaseUrl: string; appDatabaseUrl: string };
let db: Knex;

beforeAll(() => {
  useE2eIdKeys();
  db = createKnex(env.databaseUrl, { min: 0, max: 2 });
});
afterAll(async () => {
  await db?.destroy();
});

/** The script as `npm run import -- …` runs it; resolves with its exit code whatever it is. */
function runImport(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/import.ts'), ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: env.appDatabaseUrl }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run import -- --dataset SERIOUS_ILLNESS', () => {
  // Birth dates no other file uses: the fixture sequence wraps, two files must not draw the same number.
  const people = [
    { idNumber: idNumber('1941-10-27', 'F'), name: '柏灵芝', region: '410721100', illness: '尿毒症' },
    { idNumber: idNumber('1952-08-19', 'M'), name: '雷震春', region: '410721101', illness: '白血病' },
    { idNumber: idNumber('1963-04-06', 'F'), name: '祝晓岚', region: '410721100', illness: '恶性肿瘤' },
  ];
  const good = people[0].idNumber;
  // A wrong check character: the number is refused and never printed.
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  const asOf = '2004-06-30';
  const by = `e2e-cli-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'doudi-import-'));
  const file = join(dir, 'serious-illness.csv');
  // As a department exports it: Chinese headers, a byte-order mark, the bad row on line 4 of the file.
  const csv =
    '\uFEFF身份证号,姓名,乡镇代码,病种\n' +
    [people[0], people[1]].map((p) => `${p.idNumber},${p.name},${p.region},${p.illness}\n`).join('') +
    `${bad},错号人,410721100,肺癌\n` +
    `${people[2].idNumber},${people[2].name},${people[2].region},${people[2].illness}\n`;
  writeFileSync(file, csv);
  const batchId = `sha256-${createHash('sha256').update(csv).digest('hex').slice(0, 40)}`;
  const batchKey = `SERIOUS_ILLNESS:${batchId}`;
  const args = ['--dataset', 'SERIOUS_ILLNESS', '--as-of', asOf, '--file', file, '--by', by];
  const hashes = people.map((p) => lookupHash(p.idNumber));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rowsOf = (key: string) =>
    db('monitoring_rows as m')
      .join('people as p', 'p.id', 'm.person_id')
      .where('m.batch_key', key)
      .orderBy('m.line')
      .select('m.line', 'm.dataset', db.raw('m.as_of::text as as_of'), 'm.region_code', 'm.label', 'm.amount')
      .select('m.income', 'm.grade', 'p.id as person_id', 'p.name', db.raw('p.birth_date::text as birth_date'))
      .select('p.sex', 'p.id_cipher', 'p.id_key');
  const rowsOfOurPeople = () =>
    db('monitoring_rows as m')
      .join('people as p', 'p.id', 'm.person_id')
      .whereIn('p.id_hash', hashes)
      .orderBy(['m.batch_key', 'm.line'])
      .select('m.batch_key', 'm.line');

  it('loads the good rows, prints the bad one by line and reason, exits 0', async () => {
    const r = await runImport(args);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`dataset ${batchKey} as of ${asOf} — 3 accepted, 1 rejected`);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^ {2}line 4: idNumber: .*check/i)]);
    for (const p of people) expect(r.stdout).not.toContain(p.idNumber);
    expect(r.stdout).not.toContain(bad);

    const batch = await db('monitoring_batches').where({ id: batchKey }).first();
    expect(batch).toMatchObject({
      dataset: 'SERIOUS_ILLNESS',
      department: 'HEALTH',
      batch_id: batchId,
      source: 'CLI',
      file_name: 'serious-illness.csv',
      accepted: 3,
      rejected: 1,
      rejections: [{ line: 4, reasons: [expect.stringMatching(/^idNumber: /)] }],
      reported_by: by,
    });
    expect(JSON.stringify(batch.rejections)).not.toContain(bad);

    // One row per good line, under the person it names: each entered with the name, birth date and sex the number
    // gives, the number sealed (readable with the key only).
    const rows = await rowsOf(batchKey);
    expect(rows.map((m) => [m.line, m.dataset, m.as_of, m.region_code, m.label, m.amount, m.income, m.grade])).toEqual([
      [2, 'SERIOUS_ILLNESS', asOf, '410721100', '尿毒症', null, null, null],
      [3, 'SERIOUS_ILLNESS', asOf, '410721101', '白血病', null, null, null],
      [5, 'SERIOUS_ILLNESS', asOf, '410721100', '恶性肿瘤', null, null, null],
    ]);
    expect(rows.map((m) => [m.name, m.birth_date, m.sex])).toEqual([
      ['柏灵芝', '1941-10-27', 'F'],
      ['雷震春', '1952-08-19', 'M'],
      ['祝晓岚', '1963-04-06', 'F'],
    ]);
    expect(rows.map((m) => openIdNumber({ cipher: m.id_cipher, keyId: m.id_key }))).toEqual(
      people.map((p) => p.idNumber),
    );
    expect(
      await db('people')
        .where({ id_hash: lookupHash(bad) })
        .first('id'),
    ).toBeUndefined();

    const audited = await db('audit_log').where({ action: 'monitoring.import', entity_id: batchKey });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: by, role: 'admin', entity: 'monitoring_batch' });
    expect(audited[0].after).toMatchObject({ source: 'CLI', asOf, accepted: 3, rejected: 1 });
  });

  it('the same file again prints its first summary and adds nothing', async () => {
    const r = await runImport(args);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `already imported, first summary: dataset ${batchKey} as of ${asOf} — 3 accepted, 1 rejected`,
      expect.stringMatching(/^ {2}line 4: idNumber: /),
    ]);
    expect(await rowsOfOurPeople()).toEqual([2, 3, 5].map((line) => ({ batch_key: batchKey, line })));
    expect(await db('people').whereIn('id_hash', hashes).count({ n: '*' }).first()).toEqual({ n: '3' });
    expect(await db('audit_log').where({ action: 'monitoring.import', entity_id: batchKey })).toHaveLength(1);
  });

  it('another batch id is another snapshot: the same people, no second person', async () => {
    const otherKey = `SERIOUS_ILLNESS:e2e-cli-${process.pid}`;
    const r = await runImport([
      ...['--dataset', 'SERIOUS_ILLNESS', '--as-of', '2004-07-31', '--file', file],
      ...['--batch', `e2e-cli-${process.pid}`, '--by', by],
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^dataset ${otherKey} as of 2004-07-31 — 3 accepted, 1 rejected\n`));
    const first = (await rowsOf(batchKey)).map((m) => m.person_id);
    const second = await rowsOf(otherKey);
    expect(second.map((m) => [m.line, m.as_of])).toEqual([
      [2, '2004-07-31'],
      [3, '2004-07-31'],
      [5, '2004-07-31'],
    ]);
    expect(second.map((m) => m.person_id)).toEqual(first);
    expect(await db('people').whereIn('id_hash', hashes).count({ n: '*' }).first()).toEqual({ n: '3' });
  });

  it('a wrong date or dataset is a usage error (exit 2) that touches nothing', async () => {
    const wrongDate = await runImport(['--dataset', 'SERIOUS_ILLNESS', '--as-of', '2004-02-30', '--file', file]);
    expect(wrongDate.code).toBe(2);
    expect(wrongDate.stderr).toContain('usage: npm run import');
    expect(wrongDate.stdout).toBe('');
    const wrongDataset = await runImport(['--dataset', 'SERIOUS_ILLNESSES', '--as-of', asOf, '--file', file]);
    expect(wrongDataset.code).toBe(2);
    expect(wrongDataset.stderr).toContain('SERIOUS_ILLNESS|');
    expect(await rowsOfOurPeople()).toHaveLength(6);
  });
});
