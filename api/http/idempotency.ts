// Idempotency-Key: a retried POST gets the first answer back instead of a second case.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { projectForRole } from '../../domain/access';
import type { User } from './auth';
import { unprocessable } from './errors';

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

export async function replayed(
  db: Knex,
  actor: string,
  key: string,
  route: string,
  hash: string,
): Promise<{ status: number; body: unknown } | undefined> {
  const row = await db('idempotency_keys').where({ actor, key }).first();
  if (!row) return undefined;
  if (row.route !== route || row.request_hash !== hash) {
    throw unprocessable('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
  }
  return row.status_code ? { status: row.status_code, body: row.response } : undefined;
}

export async function remember(
  db: Knex | Knex.Transaction,
  actor: string,
  key: string,
  route: string,
  hash: string,
  status: number,
  body: unknown,
): Promise<void> {
  await db('idempotency_keys')
    .insert({ actor, key, route, request_hash: hash, status_code: status, response: JSON.stringify(body) })
    .onConflict(['actor', 'key'])
    .merge(['status_code', 'response']);
}

/**
 * Runs a creating POST once per (caller, Idempotency-Key): a retry gets the first answer back, the same key with a
 * different body is refused (422). `run` receives the key, so ids derived from it make a retry after a crash
 * recreate the same records rather than new ones.
 */
export async function idempotent<T>(
  ctx: { db: Knex; req: Request; res: Response; user: User },
  route: string,
  body: unknown,
  status: number,
  run: (key: string | undefined) => Promise<T>,
): Promise<T | undefined> {
  const key = ctx.req.header('Idempotency-Key');
  const hash = requestHash(body);
  if (key) {
    const earlier = await replayed(ctx.db, ctx.user.sub, key, route, hash);
    if (earlier) {
      ctx.res.status(earlier.status).json(projectForRole(earlier.body, ctx.user.role));
      return undefined;
    }
  }
  const answer = await run(key);
  if (key) await remember(ctx.db, ctx.user.sub, key, route, hash, status, answer);
  return answer;
}
