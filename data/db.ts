// The database handle every repository takes: the pool, or a transaction when a change and its audit row must commit
// together (docs/architecture.md, "One transaction per change").
import knexFactory, { type Knex } from 'knex';
import { types } from 'pg';

export type Db = Knex | Knex.Transaction;

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
types.setTypeParser(1082, (v: string) => v);
// NUMERIC money columns come back as numbers; amounts are far below 2^53 fen.
types.setTypeParser(1700, (v: string) => Number(v));

export function createKnex(databaseUrl: string, pool = { min: 0, max: 10 }): Knex {
  return knexFactory({ client: 'pg', connection: databaseUrl, pool });
}

/** Runs fn in the caller's transaction, or in a new one when given the pool. */
export function inTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Knex.Transaction) : db.transaction(fn);
}

/** ISO string of a timestamp column (pg returns Date), or null. */
export const iso = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));

/** A row as knex returns it: columns by name, typed at the mapping into API shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;
