// Delivery of outbox messages. Activities retry on failure, so every transport is at-least-once: the outbox id travels
// with each attempt (file line, Message-ID, Doudi-Delivery-Id) and receivers dedupe on it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

import type { Channel } from '../../data/outbox';

export type { Channel };

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutboundMessage {
  /** Outbox id, stable across retries — receivers dedupe on it. */
  id: string;
  channel: Channel;
  /** Email address, webhook URL, user id… depending on the channel. */
  recipient: string;
  subject: string;
  body: string;
  payload?: unknown;
  attachments?: Attachment[];
  /**
   * ISO time the event happened (webhook `occurredAt`); defaults to the send time. Set it to keep retried bodies
   * identical.
   */
  occurredAt?: string;
}

export interface Transport {
  readonly channel: Channel;
  send(msg: OutboundMessage): Promise<{ providerMessageId?: string }>;
}

/**
 * A failed delivery. `retryable: false` marks failures another attempt cannot fix (missing secret, 4xx other than
 * 408/429), so an activity can list 'DeliveryError' with retryable false as non-retryable instead of retrying for days.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// File

export interface FileTransportOptions {
  channel?: Channel;
  now?: () => Date;
}

/**
 * Appends one JSON line per message to `<dir>/notifications-YYYY-MM-DD.jsonl` (date in Asia/Shanghai, the county's
 * working day). Attachments go into files next to it, named after the message id so a retry overwrites rather than
 * duplicates them. A retried message may appear twice in the journal; readers dedupe on `id`.
 */
export class FileTransport implements Transport {
  readonly channel: Channel;
  private readonly now: () => Date;

  constructor(
    private readonly dir: string,
    options: FileTransportOptions = {},
  ) {
    this.channel = options.channel ?? 'LOG';
    this.now = options.now ?? (() => new Date());
  }

  async send(msg: OutboundMessage): Promise<{ providerMessageId?: string }> {
    const now = this.now();
    await mkdir(this.dir, { recursive: true });
    // Attachments first, so a journal line never points at a file that is not there yet.
    const attachments = [];
    for (const [i, a] of (msg.attachments ?? []).entries()) {
      const file = `${safeName(msg.id)}.${i + 1}.${safeName(a.filename)}`;
      await writeFile(path.join(this.dir, file), a.content);
      attachments.push({ filename: a.filename, contentType: a.contentType, size: a.content.length, file });
    }
    const journal = `notifications-${shanghaiDate(now)}.jsonl`;
    const line = {
      id: msg.id,
      channel: msg.channel,
      recipient: msg.recipient,
      subject: msg.subject,
      body: msg.body,
      payload: msg.payload,
      attachments,
      writtenAt: now.toISOString(),
    };
    // One appendFile call per line: O_APPEND keeps concurrent writers' lines whole on a local filesystem.
    await appendFile(path.join(this.dir, journal), JSON.stringify(line) + '\n', 'utf8');
    return { providerMessageId: `${journal}#${msg.id}` };
  }
}

function shanghaiDate(d: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

// Ids and attachment names come from case data; keep them from escaping the directory or confusing a shell.
function safeName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[.]+/, '_')
    .slice(0, 120);
  return cleaned === '' ? '_' : cleaned;
}

// ---------------------------------------------------------------------------------------------------------------
// SMTP

export interface SmtpOptions {
  host: string;
  port: number;
  /** true: implicit TLS (port 465). false: STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** e.g. '新乡县民政局 <noreply@example.gov.cn>' */
  from: string;
}

export class SmtpTransport implements Transport {
  readonly channel: Channel = 'EMAIL';
  private readonly transporter: nodemailer.Transporter;
  private readonly messageIdDomain: string;

  constructor(private readonly options: SmtpOptions) {
    this.transporter = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      auth: options.user ? { user: options.user, pass: options.pass ?? '' } : undefined,
      // Bounded so an unresponsive server fails the activity attempt instead of hanging until its timeout.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.messageIdDomain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'doudi.invalid';
  }

  async send(msg: OutboundMessage): Promise<{ providerMessageId?: string }> {
    try {
      const info = await this.transporter.sendMail({
        from: this.options.from,
        to: msg.recipient,
        subject: msg.subject,
        text: msg.body,
        // Derived from the outbox id so a retry after a lost reply carries the same Message-ID and mail systems can
        // recognise the duplicate.
        messageId: `<${msg.id.replace(/[^A-Za-z0-9._-]/g, '_')}@${this.messageIdDomain}>`,
        headers: { 'Doudi-Delivery-Id': msg.id },
        attachments: (msg.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return { providerMessageId: info.messageId };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // SMTP 5xx is a permanent rejection (bad address, policy); everything else (4xx, network) may pass later.
      throw new DeliveryError(`smtp delivery failed: ${(err as Error).message}`, !(code && code >= 500), code);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Webhook

export const SIGNATURE_VERSION = 'v1';

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<rawBody>")>` */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/**
 * Checks Doudi-Timestamp and Doudi-Signature against the raw request body (the exact bytes received, before any JSON
 * parsing). Header names are matched case-insensitively. A timestamp more than `toleranceSeconds` away from
 * `nowSeconds`, in either direction, is rejected so a captured request cannot be replayed later.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | undefined>,
  rawBody: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const header = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const tsHeader = header('doudi-timestamp');
  const sigHeader = header('doudi-signature');
  if (!tsHeader || !sigHeader || !/^\d{1,12}$/.test(tsHeader.trim())) return false;
  const timestamp = Number(tsHeader.trim());
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;

  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody), 'utf8');
  // A comma-separated list is accepted so Doudi can sign with an old and a new secret during a rotation.
  let ok = false;
  for (const candidate of sigHeader.split(',')) {
    const given = Buffer.from(candidate.trim(), 'utf8');
    // No early exit: every candidate is compared, and timingSafeEqual needs equal lengths.
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}

export interface WebhookTransportOptions {
  timeoutMs?: number;
  /** Allow plain http to non-loopback hosts. Off by default: payloads carry personal data (个人信息保护法). */
  allowHttp?: boolean;
  now?: () => Date;
}

export class WebhookTransport implements Transport {
  readonly channel: Channel = 'WEBHOOK';
  private readonly timeoutMs: number;
  private readonly allowHttp: boolean;
  private readonly now: () => Date;

  constructor(
    private readonly secretFor: (url: string) => string | undefined,
    options: WebhookTransportOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.allowHttp = options.allowHttp ?? false;
    this.now = options.now ?? (() => new Date());
  }

  async send(msg: OutboundMessage): Promise<{ providerMessageId?: string }> {
    const url = this.checkUrl(msg.recipient);
    const secret = this.secretFor(msg.recipient);
    // Never send unsigned: the integrator could not tell Doudi from anyone else who knows the URL.
    if (!secret) throw new DeliveryError(`no webhook secret configured for ${describe(url)}`, false);

    const now = this.now();
    const timestamp = Math.floor(now.getTime() / 1000);
    const rawBody = JSON.stringify({
      id: msg.id,
      type: msg.subject,
      occurredAt: msg.occurredAt ?? now.toISOString(),
      data: msg.payload ?? null,
    });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Doudi-Delivery-Id': msg.id,
          'Doudi-Timestamp': String(timestamp),
          'Doudi-Signature': signWebhook(secret, timestamp, rawBody),
        },
        body: rawBody,
        // A redirect is not a delivery, and following it would hand a signed payload to another endpoint.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : `${e.message}${causeOf(e)}`;
      throw new DeliveryError(`webhook ${describe(url)} failed: ${why}`, true);
    }
    // Drain so the connection can be reused; the content is of no interest.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) {
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new DeliveryError(`webhook ${describe(url)} responded with status ${res.status}`, retryable, res.status);
    }
    return { providerMessageId: res.headers.get('x-request-id') ?? undefined };
  }

  private checkUrl(recipient: string): URL {
    let url: URL;
    try {
      url = new URL(recipient);
    } catch {
      throw new DeliveryError(`webhook recipient is not a URL`, false);
    }
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || this.allowHttp))) {
      throw new DeliveryError(`webhook ${describe(url)} must use https`, false);
    }
    return url;
  }
}

// Query strings and credentials can hold tokens; error messages end up in workflow history.
const describe = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;
const causeOf = (e: Error) => (e.cause instanceof Error ? ` (${e.cause.message})` : '');

/**
 * Secret lookup by URL prefix; the longest matching prefix wins. A prefix only matches at a boundary, so
 * 'https://a.example' does not match 'https://a.example.evil.net/'.
 */
export function webhookSecretsFromJson(json: string | undefined): (url: string) => string | undefined {
  const parsed: unknown = json && json.trim() !== '' ? JSON.parse(json) : {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('WEBHOOK_SECRETS must be a JSON object of {urlPrefix: secret}');
  }
  const entries = Object.entries(parsed).map(([prefix, secret]) => {
    if (typeof secret !== 'string' || secret === '')
      throw new Error(`WEBHOOK_SECRETS: secret for ${prefix} must be a non-empty string`);
    return [prefix, secret] as const;
  });
  entries.sort((a, b) => b[0].length - a[0].length);
  return (url) =>
    entries.find(
      ([prefix]) =>
        url.startsWith(prefix) &&
        (url.length === prefix.length || /[/?#]$/.test(prefix) || /^[/?#]/.test(url.slice(prefix.length))),
    )?.[1];
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring

/**
 * One transport per channel. Files go to `<dataDir>/notifications`. SMS has no provider yet and is journalled like
 * LOG; EMAIL is journalled too unless SMTP_HOST is set. Throws on malformed configuration so a worker fails at start
 * rather than on its first message.
 */
export function transportsFromEnv(env: NodeJS.ProcessEnv, dataDir: string): Map<Channel, Transport> {
  const dir = path.join(dataDir, 'notifications');
  const file = (channel: Channel) => new FileTransport(dir, { channel });
  const transports = new Map<Channel, Transport>([
    ['LOG', file('LOG')],
    ['IN_APP', file('IN_APP')],
    ['SMS', file('SMS')],
  ]);

  if (env.SMTP_HOST) {
    if (!env.SMTP_FROM) throw new Error('SMTP_FROM is required when SMTP_HOST is set');
    const secure = env.SMTP_SECURE ? env.SMTP_SECURE === 'true' : env.SMTP_PORT === '465';
    const port = env.SMTP_PORT ? Number(env.SMTP_PORT) : secure ? 465 : 587;
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new Error(`SMTP_PORT is not a port: ${env.SMTP_PORT}`);
    transports.set(
      'EMAIL',
      new SmtpTransport({
        host: env.SMTP_HOST,
        port,
        secure,
        user: env.SMTP_USER,
        pass: env.SMTP_PASS,
        from: env.SMTP_FROM,
      }),
    );
  } else {
    transports.set('EMAIL', file('EMAIL'));
  }

  transports.set(
    'WEBHOOK',
    new WebhookTransport(webhookSecretsFromJson(env.WEBHOOK_SECRETS), { allowHttp: env.WEBHOOK_ALLOW_HTTP === 'true' }),
  );
  return transports;
}
