// Idempotency-Key: a retried POST gets the first answer back instead of a second case.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { projectForRole } from '../../domain/access';
import type { User } from './auth';
import { badRequest, HttpError, unprocessable } from './errors';

export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

/** A stable UUID for (actor, key): the retried request creates the same case, even after a crash half-way. */
export function idempotentUuid(actor: string, key: string): string {
  const h = createHash('sha256').update(`${actor}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A reservation is a lease: the request holding it renews it every LEASE_RENEW_MS while it runs, so one not renewed for
 * LEASE_S belongs to a request that died half-way (the API killed mid-request, test/e2e/crash.test.ts) and a retry
 * with the same key takes it over. Were a live request ever taken over, the ids it derives from the key
 * (idempotentUuid) make both write the same records, not two cases.
 */
const LEASE_S = 20;
const LEASE_RENEW_MS = 5_000;
/** How long a request waits for a same-key request in flight before answering 409 (the client retries later). */
const WAIT_FOR_FIRST_MS = 15_000;

/**
 * Reserves (actor, key) for this request: true when the row was inserted now, or an abandoned reservation of the same
 * request was taken over. The primary key (actor, key) makes exactly one of parallel requests win.
 */
async function reserve(db: Knex, actor: string, key: string, route: string, hash: string): Promise<boolean> {
  const inserted = await db('idempotency_keys')
    .insert({ actor, key, route, request_hash: hash })
    .onConflict(['actor', 'key'])
    .ignore()
    .returning('actor');
  if (inserted.length) return true;
  const takenOver = await db('idempotency_keys')
    .where({ actor, key, route, request_hash: hash })
    .whereNull('status_code')
    .where('created_at', '<', db.raw(`now() - interval '${LEASE_S} seconds'`))
    .update({ created_at: db.fn.now() })
    .returning('actor');
  return takenOver.length > 0;
}

/**
 * Runs a creating POST once per (caller, Idempotency-Key). The key is reserved before the work starts, so of parallel
 * requests with one key exactly one runs; the others wait for its answer and get the stored answer back (or 409 when it
 * takes longer than WAIT_FOR_FIRST_MS). The same key with a different body or route is refused (422), in parallel too.
 * A request that fails releases the key: nothing was stored under it, so the client may retry. `run` receives the key,
 * so ids derived from it make a retry after a crash recreate the same records rather than new ones.
 */
export async function idempotent<T>(
  ctx: { db: Knex; req: Request; res: Response; user: User },
  route: string,
  body: unknown,
  status: number,
  run: (key: string | undefined) => Promise<T>,
): Promise<T | undefined> {
  const key = ctx.req.header('Idempotency-Key');
  if (key === undefined) return run(undefined);
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw badRequest('invalid Idempotency-Key', [
      { path: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' },
    ]);
  const { db } = ctx;
  const actor = ctx.user.sub;
  const hash = requestHash(body);
  const giveUpAt = Date.now() + WAIT_FOR_FIRST_MS;
  while (!(await reserve(db, actor, key, route, hash))) {
    const row = await db('idempotency_keys').where({ actor, key }).first();
    if (!row) continue; // released by a request that failed: try to reserve it again
    if (row.route !== route || row.request_hash !== hash)
      throw unprocessable('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
    if (row.status_code != null) {
      ctx.res.status(row.status_code).json(projectForRole(row.response, ctx.user.role));
      return undefined;
    }
    if (Date.now() > giveUpAt)
      throw new HttpError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still in progress');
    await new Promise((r) => setTimeout(r, 100));
  }
  let answer: T;
  const renew = setInterval(() => {
    db('idempotency_keys')
      .where({ actor, key })
      .whereNull('status_code')
      .update({ created_at: db.fn.now() })
      .catch(() => undefined); // a missed renewal only lets a retry take over sooner
  }, LEASE_RENEW_MS);
  try {
    answer = await run(key);
  } catch (err) {
    await db('idempotency_keys').where({ actor, key }).whereNull('status_code').del();
    throw err;
  } finally {
    clearInterval(renew);
  }
  await db('idempotency_keys')
    .where({ actor, key })
    .update({ status_code: status, response: JSON.stringify(answer) });
  return answer;
}
