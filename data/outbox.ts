// One outbox for every message (SMS, e-mail, webhooks, in-app, the notice journal): enqueued in the same transaction
// as the change that causes it, idempotent on the message id, delivered by engine/notifications/dispatcher.ts.
import type { Db } from './db';

/** Delivery channels; each has a transport in engine/notifications/transports.ts. */
export const CHANNELS = ['LOG', 'EMAIL', 'WEBHOOK', 'SMS', 'IN_APP'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface OutboxMessage {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  payload?: unknown;
  noticeId?: string;
  caseId?: string;
  regionCode?: string;
}

export async function enqueue(db: Db, m: OutboxMessage): Promise<void> {
  await db('notifications')
    .insert({
      id: m.id,
      channel: m.channel,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body,
      payload: m.payload === undefined ? null : JSON.stringify(m.payload),
      notice_id: m.noticeId ?? null,
      case_id: m.caseId ?? null,
      region_code: m.regionCode ?? null,
      status: 'PENDING',
    })
    .onConflict('id')
    .ignore();
}
