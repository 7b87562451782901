// What every department import shares: rows streamed with COPY into a staging table inside the import's transaction
// (never row by row), and the rejections kept by line. data/import/assistance.ts and data/import/monitoring.ts.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export const MAX_REJECTIONS_KEPT = 1000;

export interface Rejection {
  line: number;
  reference?: string;
  reasons: string[];
}

/** COPY text format: tab-separated, \N for null, backslash escapes. */
export function copyField(v: unknown): string {
  if (v == null) return '\\N';
  if (Buffer.isBuffer(v)) return '\\\\x' + v.toString('hex');
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export const copyLine = (values: unknown[]): string => values.map(copyField).join('\t') + '\n';

/** Streams the lines into `table` (columns in order) on the transaction's own connection. */
export async function copyInto(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  lines: AsyncIterable<string>,
): Promise<void> {
  // knex hands a transaction's own connection to acquireConnection: the COPY runs inside this transaction.
  const conn = await (trx.client as { acquireConnection(): Promise<PoolClient> }).acquireConnection();
  await pipeline(Readable.from(lines), conn.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

/** Rejections counted in full, kept up to MAX_REJECTIONS_KEPT, sorted by line. */
export class Rejections {
  count = 0;
  private readonly kept: Rejection[] = [];
  add(r: Rejection): void {
    this.count++;
    if (this.kept.length < MAX_REJECTIONS_KEPT) this.kept.push(r);
  }
  sorted(): Rejection[] {
    return [...this.kept].sort((a, b) => a.line - b.line);
  }
}

/**
 * The rows of `select` as COPY text, streamed on the transaction's connection: each piece yielded holds whole lines
 * (each ending in a newline). For a caller that reads the fields where they lie instead of splitting every line into
 * strings (data/monitoring-subjects.ts RowsPivot). Values must be plain text (no tabs, backslashes or newlines): the
 * callers select codes, numbers, dates and ids; a null is `\N`.
 */
export async function* copyOutText(trx: Knex.Transaction, select: string): AsyncGenerator<string> {
  const conn = await (trx.client as { acquireConnection(): Promise<PoolClient> }).acquireConnection();
  const stream = conn.query(copyTo(`copy (${select}) to stdout`));
  const utf8 = new StringDecoder('utf8'); // a character may straddle two chunks
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + utf8.write(chunk);
    const end = text.lastIndexOf('\n') + 1;
    rest = text.slice(end);
    if (end) yield text.slice(0, end);
  }
  rest += utf8.end();
  if (rest) yield `${rest}\n`;
}

/**
 * The rows of `select` as COPY text lines, fields split (`\N` as null): the fastest way out of PostgreSQL for
 * set-based work whose last step is in TypeScript (the comparison). Yields the lines of each piece together: one
 * await per piece, not per line. Values as for copyOutText.
 */
export async function* copyOut(trx: Knex.Transaction, select: string): AsyncGenerator<(string | null)[][]> {
  // Nulls set in place: no second array per line.
  const fields = (line: string) => {
    const f: (string | null)[] = line.split('\t');
    for (let i = 0; i < f.length; i++) if (f[i] === '\\N') f[i] = null;
    return f;
  };
  for await (const text of copyOutText(trx, select)) yield text.slice(0, -1).split('\n').map(fields);
}
