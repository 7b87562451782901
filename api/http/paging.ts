// List answers: `items`, plus `total` (rows matching the filters) and `nextCursor` (opaque; pass it back as `?cursor=`
// for the next page, null on the last one). The cursor carries the offset, so `limit`/`offset` keep working as before.
import type { Knex } from 'knex';
import { badRequest } from './errors';

const PREFIX = 'o:';

export const encodeCursor = (offset: number) => Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): number {
  const s = Buffer.from(cursor, 'base64url').toString('utf8');
  const n = s.startsWith(PREFIX) ? Number(s.slice(PREFIX.length)) : NaN;
  if (!Number.isInteger(n) || n < 0)
    throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API handed out' }]);
  return n;
}

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/**
 * One page of `q` (filters applied, order and select set, no limit yet) and the total of the same filters.
 * The count drops order and select so PostgreSQL counts rows without sorting them.
 */
export async function page<R, T>(
  q: Knex.QueryBuilder,
  p: { limit: number; offset: number },
  map: (row: R) => T,
): Promise<Page<T>> {
  const [rows, [{ n }]] = await Promise.all([
    q.clone().limit(p.limit).offset(p.offset),
    q.clone().clearSelect().clearOrder().count({ n: '*' }),
  ]);
  const total = Number(n);
  const end = p.offset + rows.length;
  return {
    items: (rows as R[]).map(map),
    total,
    nextCursor: end < total && rows.length > 0 ? encodeCursor(end) : null,
  };
}
