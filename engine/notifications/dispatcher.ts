// The outbox dispatcher, run by every worker (worker.ts): delivers what data/outbox.ts enqueued, with retries,
// exponential backoff and a dead-letter state, so a receiver that is down gets everything once it is back.
import type { Knex } from 'knex';
import type { Channel } from '../../data/outbox';
import type { OutboundMessage, Transport } from './transports';
import { DeliveryError } from './transports';

export const OUTBOX_MAX_ATTEMPTS = 10;

/** Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 30 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/** Delivers due messages once; returns how many were sent. Safe to run from several workers (SKIP LOCKED). */
export async function dispatchDue(
  db: Knex,
  transports: Map<Channel, Transport>,
  limit = 50,
  backoff: (attempts: number) => number = backoffMs,
): Promise<number> {
  let sent = 0;
  const due = await db.transaction(async (trx) => {
    const rows = await trx('notifications')
      .whereIn('status', ['PENDING', 'FAILED'])
      .where('next_attempt_at', '<=', trx.fn.now())
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    // Claim them for a minute so a parallel dispatcher does not send the same message while this one works.
    if (rows.length)
      await trx('notifications')
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .update({ next_attempt_at: trx.raw("now() + interval '1 minute'") });
    return rows;
  });
  for (const row of due) {
    const transport = transports.get(row.channel);
    try {
      if (!transport) throw new DeliveryError(`no transport for channel ${row.channel}`, false);
      const attachments = row.notice_id ? await noticeAttachment(db, row.notice_id) : undefined;
      const msg: OutboundMessage = {
        id: row.id,
        channel: row.channel,
        recipient: row.recipient,
        subject: row.subject,
        body: row.body,
        payload: row.payload ?? undefined,
        attachments,
        occurredAt: new Date(row.created_at).toISOString(),
      };
      await transport.send(msg);
      await db('notifications')
        .where({ id: row.id })
        .update({ status: 'SENT', sent_at: db.fn.now(), attempts: row.attempts + 1, last_error: null });
      sent++;
    } catch (err) {
      const attempts = row.attempts + 1;
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      const dead = !retryable || attempts >= OUTBOX_MAX_ATTEMPTS;
      await db('notifications')
        .where({ id: row.id })
        .update({
          status: dead ? 'DEAD' : 'FAILED',
          attempts,
          last_error: String((err as Error).message ?? err).slice(0, 1000),
          next_attempt_at: new Date(Date.now() + backoff(attempts)),
        });
    }
  }
  return sent;
}

async function noticeAttachment(db: Knex, noticeId: string) {
  const n = await db('notices').where({ id: noticeId }).first('notice_no', 'pdf');
  return n ? [{ filename: `${n.notice_no}.pdf`, contentType: 'application/pdf', content: n.pdf as Buffer }] : undefined;
}

/** Runs dispatchDue every `intervalMs` until stopped; tests pass a short `backoff` so retries come quickly. */
export function startDispatcher(
  db: Knex,
  transports: Map<Channel, Transport>,
  intervalMs = 2_000,
  onError: (e: unknown) => void = () => undefined,
  backoff: (attempts: number) => number = backoffMs,
): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    running = dispatchDue(db, transports, 50, backoff).catch(onError);
    await running;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, 10);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
