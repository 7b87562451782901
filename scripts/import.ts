// `npm run import -- --department MEDICAL_INSURANCE --file report.xlsx [--batch id] [--region 410721] [--by name]`:
// a department's CSV or XLSX assistance report into the population database (data/import/assistance.ts), with a
// progress bar and a summary of accepted and rejected rows by line.
// `npm run import -- --dataset SEVERE_DISABILITY --as-of 2026-12-01 --file data.csv [--batch id] [--by name]`: a
// monitoring dataset (data/import/monitoring.ts, docs/monitoring.md), streamed into PostgreSQL with COPY.
// The batch id defaults to the file's SHA-256, so importing the same file twice adds nothing. Needs DATABASE_URL
// (npm start prints how it runs its database).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Knex } from 'knex';
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { importAssistance, type ImportSummary } from '../data/import/assistance';
import { formatOf, readDepartmentFile } from '../data/import/department-file';
import { recordFromFileRow } from '../domain/assistance-records';
import { isIsoDate, shanghaiDate } from '../domain/calendar';
import { DATASETS, type Dataset } from '../domain/monitoring';
import { monitoringRowFromCells } from '../domain/monitoring-rows';
import { importDataset, type DatasetSummary } from '../data/import/monitoring';
import { DEPARTMENTS, type Department } from '../domain/glossary';

const USAGE =
  'usage: npm run import -- --department <' +
  DEPARTMENTS.join('|') +
  '> --file <report.csv|report.xlsx> [--batch <id>] [--region <code>] [--by <who>]\n' +
  '       npm run import -- --dataset <' +
  DATASETS.join('|') +
  '> --as-of <YYYY-MM-DD> --file <data.csv|data.xlsx> [--batch <id>] [--by <who>]';

async function fileHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex').slice(0, 40);
}

export function printSummary(s: ImportSummary, out: (l: string) => void = console.log): void {
  out(
    `${s.alreadyImported ? 'already imported, first summary: ' : ''}batch ${s.department}:${s.batchId} — ` +
      `${s.accepted} accepted, ${s.duplicates} already reported, ${s.rejected} rejected`,
  );
  for (const r of s.rejections.slice(0, 200))
    out(`  line ${r.line}${r.reference ? ` (${r.reference})` : ''}: ${r.reasons.join('; ')}`);
  if (s.rejected > 200) out(`  … and ${s.rejected - 200} more rejected rows`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      department: { type: 'string' },
      file: { type: 'string' },
      batch: { type: 'string' },
      region: { type: 'string', default: '410721' },
      by: { type: 'string', default: 'cli-import' },
      dataset: { type: 'string' },
      'as-of': { type: 'string' },
    },
  });
  if (values.dataset !== undefined) return importDatasetFile(values);
  const department = values.department as Department | undefined;
  if (!department || !DEPARTMENTS.includes(department) || !values.file) {
    console.error(USAGE);
    return 2;
  }
  return importFile(
    values.file,
    values.batch,
    recordFromFileRow,
    (db, file) =>
      importAssistance(db, {
        department,
        source: 'CLI',
        reportedBy: { sub: values.by!, role: 'admin' },
        fallbackRegion: values.region!,
        today: shanghaiDate(Date.now()),
        ...file,
      }),
    printSummary,
  );
}

type FileRows = AsyncIterable<{ line: number; raw: unknown }>;

/** Reads the file with a progress bar into `load`, prints the summary; answers the exit code. */
async function importFile<S>(
  path: string,
  batch: string | undefined,
  toRaw: (cells: Record<string, string>) => unknown,
  load: (db: Knex, file: { batchId: string; fileName: string; rows: FileRows }) => Promise<S>,
  print: (summary: S) => void,
): Promise<number> {
  const format = formatOf(path);
  if (!format) {
    console.error('the file must end in .csv or .xlsx');
    return 2;
  }
  const size = statSync(path).size;
  const batchId = batch ?? `sha256-${await fileHash(path)}`;
  const db = createKnex(requireDatabaseUrl(loadConfig()), { min: 0, max: 2 });
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {rows} rows | {duration}s', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { rows: 0 });
  let rows = 0;
  try {
    const summary = await load(db, {
      batchId,
      fileName: basename(path),
      rows: (async function* () {
        const progress = (f: number) => bar.update(Math.round(f * 100), { rows });
        for await (const row of readDepartmentFile(createReadStream(path), format, progress, size)) {
          rows++;
          yield { line: row.line, raw: toRaw(row.cells) };
        }
      })(),
    });
    bar.update(100, { rows });
    bar.stop();
    print(summary);
    return 0;
  } catch (err) {
    bar.stop();
    console.error(`import failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

export function printDatasetSummary(s: DatasetSummary, out: (l: string) => void = console.log): void {
  out(
    `${s.alreadyImported ? 'already imported, first summary: ' : ''}dataset ${s.dataset}:${s.batchId} as of ` +
      `${s.asOf} — ${s.accepted} accepted, ${s.rejected} rejected`,
  );
  for (const r of s.rejections.slice(0, 200)) out(`  line ${r.line}: ${r.reasons.join('; ')}`);
  if (s.rejected > 200) out(`  … and ${s.rejected - 200} more rejected rows`);
}

async function importDatasetFile(values: Record<string, string | undefined>): Promise<number> {
  const dataset = values.dataset as Dataset;
  const asOf = values['as-of'];
  if (!DATASETS.includes(dataset) || !asOf || !isIsoDate(asOf) || !values.file) {
    console.error(USAGE);
    return 2;
  }
  return importFile(
    values.file,
    values.batch,
    monitoringRowFromCells,
    (db, file) =>
      importDataset(db, {
        dataset,
        asOf,
        source: 'CLI',
        reportedBy: { sub: values.by!, role: 'admin' },
        today: shanghaiDate(Date.now()),
        ...file,
      }),
    printDatasetSummary,
  );
}

if (require.main === module) void main().then((code) => process.exit(code));
