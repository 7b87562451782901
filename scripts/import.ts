// `npm run import -- --department MEDICAL_INSURANCE --file report.xlsx [--batch id] [--region 410721] [--by name]`:
// a department's CSV or XLSX assistance report into the population database (data/import/assistance.ts), with a
// progress bar and a summary of accepted and rejected rows by line. The batch id defaults to the file's SHA-256, so
// importing the same file twice adds nothing. Needs DATABASE_URL (npm start prints how it runs its database).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig, requireDatabaseUrl } from '../config';
import { createKnex } from '../data/db';
import { importAssistance, type ImportSummary } from '../data/import/assistance';
import { formatOf, readDepartmentFile } from '../data/import/department-file';
import { recordFromFileRow } from '../domain/assistance';
import { shanghaiDate } from '../domain/calendar';
import { DEPARTMENTS, type Department } from '../domain/glossary';

const USAGE =
  'usage: npm run import -- --department <' +
  DEPARTMENTS.join('|') +
  '> --file <report.csv|report.xlsx> [--batch <id>] [--region <code>] [--by <who>]';

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
    },
  });
  const department = values.department as Department | undefined;
  if (!department || !DEPARTMENTS.includes(department) || !values.file) {
    console.error(USAGE);
    return 2;
  }
  const format = formatOf(values.file);
  if (!format) {
    console.error('the file must end in .csv or .xlsx');
    return 2;
  }
  const size = statSync(values.file).size;
  const batchId = values.batch ?? `sha256-${await fileHash(values.file)}`;
  const db = createKnex(requireDatabaseUrl(loadConfig()), { min: 0, max: 2 });
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {rows} rows | {duration}s', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { rows: 0 });
  let rows = 0;
  try {
    const file = values.file;
    const summary = await importAssistance(db, {
      department,
      batchId,
      source: 'CLI',
      fileName: basename(file),
      reportedBy: { sub: values.by!, role: 'admin' },
      fallbackRegion: values.region!,
      today: shanghaiDate(Date.now()),
      rows: (async function* () {
        const progress = (f: number) => bar.update(Math.round(f * 100), { rows });
        for await (const row of readDepartmentFile(createReadStream(file), format, progress, size)) {
          rows++;
          yield { line: row.line, raw: recordFromFileRow(row.cells) };
        }
      })(),
    });
    bar.update(100, { rows });
    bar.stop();
    printSummary(summary);
    return 0;
  } catch (err) {
    bar.stop();
    console.error(`import failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) void main().then((code) => process.exit(code));
