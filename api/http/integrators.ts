// Integrators (对接系统): machine clients that authenticate with an API key (X-Api-Key) instead of a JWT, trigger
// escalations and receive signed webhooks. Only the key's SHA-256 is stored; the webhook secret encrypted.
import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { sealSecret } from '../../data/secrets';
import type { AuthedRequest, User } from './auth';
import { HttpError } from './errors';

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
export const newApiKey = () => `dk_${randomBytes(32).toString('base64url')}`;
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Authenticates `X-Api-Key` when no bearer token is given; api/auth.ts `authenticate` then lets the request through.
 */
export function apiKeyAuth(db: Knex): RequestHandler {
  return (req, _res, next) => {
    const key = req.header('x-api-key');
    if (!key || req.headers.authorization) return next();
    db('integrators')
      .where({ api_key_hash: hashApiKey(key), active: true })
      .first('id', 'region_code')
      .then((row) => {
        if (!row) return next(new HttpError(401, 'UNAUTHENTICATED', 'unknown or revoked API key'));
        const user: User = {
          sub: `integrator:${row.id}`,
          role: 'integrator',
          region: row.region_code,
          integratorId: row.id,
        };
        (req as AuthedRequest).user = user;
        next();
      }, next);
  };
}

/** The integrator behind a request: its API key, or a JWT whose subject is the integrator's id. */
export async function integratorOf(db: Knex, user: User): Promise<string | undefined> {
  if (user.integratorId) return user.integratorId;
  if (user.role !== 'integrator') return undefined;
  return (await db('integrators').where({ id: user.sub, active: true }).first('id'))?.id;
}

export interface IntegratorSpec {
  id: string;
  name: string;
  regionCode: string;
  apiKey: string;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

/** Registers (or re-keys) an integrator; used by `npm start` for the development integrator and by tests. */
export async function saveIntegrator(db: Knex, i: IntegratorSpec): Promise<void> {
  await db('integrators')
    .insert({
      id: i.id,
      name: i.name,
      region_code: i.regionCode,
      api_key_hash: hashApiKey(i.apiKey),
      webhook_url: i.webhookUrl ?? null,
      webhook_secret: i.webhookSecret ? sealSecret(i.webhookSecret) : null, // stored encrypted (data/secrets.ts)
      active: true,
    })
    .onConflict('id')
    .merge(['name', 'region_code', 'api_key_hash', 'webhook_url', 'webhook_secret', 'active']);
}
