// Webhooks to integrators are signed with that integrator's own secret (integrators.webhook_secret, sealed by
// data/secrets.ts, looked up by the registered URL at send time, so a rotated secret applies to the next attempt);
// WEBHOOK_SECRETS covers other URLs.
import type { Knex } from 'knex';
import { openSecret } from '../../data/secrets';
import {
  WebhookTransport,
  webhookSecretsFromJson,
  type Channel,
  type OutboundMessage,
  type Transport,
  type WebhookTransportOptions,
} from './transports';

export class IntegratorWebhookTransport implements Transport {
  readonly channel: Channel = 'WEBHOOK';
  private readonly fallback: (url: string) => string | undefined;

  constructor(
    private readonly db: Knex,
    fallbackSecretsJson: string | undefined,
    private readonly options: WebhookTransportOptions = {},
  ) {
    this.fallback = webhookSecretsFromJson(fallbackSecretsJson);
  }

  async send(msg: OutboundMessage): Promise<{ providerMessageId?: string }> {
    const row = await this.db('integrators')
      .where({ webhook_url: msg.recipient, active: true })
      .whereNotNull('webhook_secret')
      .orderBy('id')
      .first('webhook_secret');
    const stored = row?.webhook_secret as string | undefined;
    const secret = stored ? openSecret(stored) : this.fallback(msg.recipient);
    return new WebhookTransport(() => secret, this.options).send(msg);
  }
}

/** Replaces the WEBHOOK transport of `transportsFromEnv` with the integrator-aware one. */
export function withIntegratorWebhooks(
  transports: Map<Channel, Transport>,
  db: Knex,
  env: NodeJS.ProcessEnv,
): Map<Channel, Transport> {
  transports.set(
    'WEBHOOK',
    new IntegratorWebhookTransport(db, env.WEBHOOK_SECRETS, { allowHttp: env.WEBHOOK_ALLOW_HTTP === 'true' }),
  );
  return transports;
}
