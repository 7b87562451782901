import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DeliveryError,
  FileTransport,
  WebhookTransport,
  signWebhook,
  transportsFromEnv,
  webhookSecretsFromJson,
  type OutboundMessage,
} from '../../engine/notifications/transports';
import { SmtpTransport, verifyWebhook } from '../../engine/notifications/transports';

const SECRET = 'whsec_test_secret';
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('signWebhook', () => {
  it('matches an HMAC-SHA256 computed independently (openssl dgst -sha256 -hmac)', () => {
    const body = '{"id":"out-1","type":"case.refused","occurredAt":"2025-04-10T02:00:00.000Z","data":{"caseId":"C-1"}}';
    expect(signWebhook(SECRET, 1700000000, body)).toBe(
      'v1=df81ae41f1913452bd474bbe1748174b7bd4103967518aaf89e19d73a05ee99c',
    );
  });
});

describe('verifyWebhook', () => {
  const body = '{"id":"out-2","type":"t","occurredAt":"2025-01-01T00:00:00.000Z","data":null}';
  const ts = 1_750_000_000;
  const headers = { 'doudi-timestamp': String(ts), 'doudi-signature': signWebhook(SECRET, ts, body) };

  it('accepts a fresh, correctly signed request, whatever the header case', () => {
    expect(verifyWebhook(SECRET, headers, body, ts)).toBe(true);
    expect(
      verifyWebhook(
        SECRET,
        { 'Doudi-Timestamp': headers['doudi-timestamp'], 'Doudi-Signature': headers['doudi-signature'] },
        body,
        ts + 300,
      ),
    ).toBe(true);
  });

  it('rejects stale and far-future timestamps (replay)', () => {
    expect(verifyWebhook(SECRET, headers, body, ts + 301)).toBe(false);
    expect(verifyWebhook(SECRET, headers, body, ts - 301)).toBe(false);
    expect(verifyWebhook(SECRET, headers, body, ts + 1000, 2000)).toBe(true);
  });

  it('rejects a changed body, a changed timestamp, a wrong secret and missing or malformed headers', () => {
    expect(verifyWebhook(SECRET, headers, body.replace('out-2', 'out-3'), ts)).toBe(false);
    expect(verifyWebhook(SECRET, { ...headers, 'doudi-timestamp': String(ts + 1) }, body, ts)).toBe(false);
    expect(verifyWebhook('another-secret', headers, body, ts)).toBe(false);
    expect(verifyWebhook(SECRET, { 'doudi-timestamp': String(ts) }, body, ts)).toBe(false);
    expect(verifyWebhook(SECRET, { ...headers, 'doudi-timestamp': `${ts}.5` }, body, ts)).toBe(false);
    expect(
      verifyWebhook(SECRET, { ...headers, 'doudi-signature': headers['doudi-signature'].slice(0, -2) }, body, ts),
    ).toBe(false);
  });

  it('accepts any one matching entry of a comma-separated signature list (secret rotation)', () => {
    const both = `${signWebhook('old-secret', ts, body)}, ${headers['doudi-signature']}`;
    expect(verifyWebhook(SECRET, { ...headers, 'doudi-signature': both }, body, ts)).toBe(true);
    expect(verifyWebhook('third-secret', { ...headers, 'doudi-signature': both }, body, ts)).toBe(false);
  });
});

describe('FileTransport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'doudi-file-transport-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per message, dated in Asia/Shanghai, and writes attachments beside it', async () => {
    // 17:30 UTC on 9 April is already 10 April in Xinxiang.
    const transport = new FileTransport(dir, { channel: 'SMS', now: () => new Date('2025-04-09T17:30:00Z') });
    expect(transport.channel).toBe('SMS');
    const pdf = Buffer.from('%PDF-1.3 fake notice');
    const msg: OutboundMessage = {
      id: 'outbox-42',
      channel: 'SMS',
      recipient: '13800000000',
      subject: '不予认定告知',
      body: '张三：你的申请不予认定。',
      payload: { caseId: 'C-7' },
      attachments: [{ filename: '../../不予认定告知书.pdf', contentType: 'application/pdf', content: pdf }],
    };
    const result = await transport.send(msg);
    await transport.send({ ...msg, id: 'outbox-43', attachments: undefined });

    const journal = path.join(dir, 'notifications-2025-04-10.jsonl');
    const lines = (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      id: 'outbox-42',
      channel: 'SMS',
      recipient: '13800000000',
      body: msg.body,
      payload: { caseId: 'C-7' },
    });
    expect(lines[1]).toMatchObject({ id: 'outbox-43', attachments: [] });
    expect(result.providerMessageId).toBe('notifications-2025-04-10.jsonl#outbox-42');

    const [ref] = lines[0].attachments;
    expect(ref).toMatchObject({
      filename: '../../不予认定告知书.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
    });
    // The stored name stays inside the directory even though the filename tried to leave it.
    expect(path.dirname(path.join(dir, ref.file))).toBe(dir);
    expect(ref.file).toContain('不予认定告知书.pdf');
    expect((await readFile(path.join(dir, ref.file))).equals(pdf)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual([ref.file, 'notifications-2025-04-10.jsonl'].sort());
  });

  it('defaults to the LOG channel and never writes to stdout', async () => {
    const spy = jest.spyOn(process.stdout, 'write');
    const log = jest.spyOn(console, 'log');
    const transport = new FileTransport(dir);
    expect(transport.channel).toBe('LOG');
    await transport.send({ id: 'x', channel: 'LOG', recipient: 'ops', subject: 's', body: 'secret body' });
    expect(spy).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    spy.mockRestore();
    log.mockRestore();
  });
});

describe('WebhookTransport', () => {
  interface Received {
    headers: http.IncomingHttpHeaders;
    raw: string;
    verified: boolean;
  }
  let server: http.Server;
  let base: string;
  let received: Received[];
  let respondWith: number;
  let hang: boolean;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        // What an integrator does: verify against the raw bytes before trusting anything in them.
        const verified = verifyWebhook(SECRET, req.headers as Record<string, string | undefined>, raw, nowSeconds());
        received.push({ headers: req.headers, raw, verified });
        if (hang) return;
        if (respondWith === 302) res.writeHead(302, { Location: `${base}/elsewhere` }).end();
        else res.writeHead(verified ? respondWith : 401, { 'X-Request-Id': 'rcv-1' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  beforeEach(() => {
    received = [];
    respondWith = 204;
    hang = false;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const secretFor = (url: string) => (url.startsWith(base) ? SECRET : undefined);
  const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
    id: 'outbox-7',
    channel: 'WEBHOOK',
    recipient: `${base}/hooks/doudi`,
    subject: 'case.refused',
    body: 'ignored by webhooks',
    payload: { caseId: 'C-9', reasons: ['收入超标'] },
    occurredAt: '2025-04-10T02:00:00.000Z',
    ...over,
  });

  it('POSTs a signed JSON event that the receiver verifies', async () => {
    const result = await new WebhookTransport(secretFor).send(message());
    expect(received).toHaveLength(1);
    const [r] = received;
    expect(r.verified).toBe(true);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['doudi-delivery-id']).toBe('outbox-7');
    expect(Math.abs(Number(r.headers['doudi-timestamp']) - nowSeconds())).toBeLessThanOrEqual(2);
    expect(JSON.parse(r.raw)).toEqual({
      id: 'outbox-7',
      type: 'case.refused',
      occurredAt: '2025-04-10T02:00:00.000Z',
      data: { caseId: 'C-9', reasons: ['收入超标'] },
    });
    expect(result.providerMessageId).toBe('rcv-1');
  });

  it(
    'produces a request whose signature fails if the body is tampered with or the request is replayed ' + 'late',
    async () => {
      await new WebhookTransport(secretFor).send(message());
      const [{ headers, raw }] = received;
      const h = headers as Record<string, string | undefined>;
      const ts = Number(h['doudi-timestamp']);
      expect(verifyWebhook(SECRET, h, raw, ts)).toBe(true);
      expect(verifyWebhook(SECRET, h, raw.replace('C-9', 'C-8'), ts)).toBe(false);
      expect(verifyWebhook(SECRET, h, raw, ts + 301)).toBe(false);
    },
  );

  it('throws with the status on a non-2xx answer, retryable only when retrying can help', async () => {
    respondWith = 500;
    const err = await new WebhookTransport(secretFor).send(message()).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ status: 500, retryable: true });
    expect(err.message).toMatch(/500/);

    respondWith = 400;
    await expect(new WebhookTransport(secretFor).send(message())).rejects.toMatchObject({
      status: 400,
      retryable: false,
    });
    respondWith = 429;
    await expect(new WebhookTransport(secretFor).send(message())).rejects.toMatchObject({
      status: 429,
      retryable: true,
    });
  });

  it('treats a receiver that rejects the signature as a failure (wrong secret)', async () => {
    await expect(new WebhookTransport(() => 'not-the-secret').send(message())).rejects.toMatchObject({ status: 401 });
    expect(received[0].verified).toBe(false);
  });

  it('does not follow redirects', async () => {
    respondWith = 302;
    await expect(new WebhookTransport(secretFor).send(message())).rejects.toMatchObject({ status: 302 });
    expect(received).toHaveLength(1);
  });

  it('gives up after the timeout', async () => {
    hang = true;
    await expect(new WebhookTransport(secretFor, { timeoutMs: 200 }).send(message())).rejects.toThrow(
      /timed out after 200 ms/,
    );
  });

  it('refuses to send without a secret, or over plain http to a remote host', async () => {
    await expect(new WebhookTransport(() => undefined).send(message())).rejects.toMatchObject({ retryable: false });
    await expect(
      new WebhookTransport(() => SECRET).send(message({ recipient: 'http://integrator.example/hook' })),
    ).rejects.toThrow(/https/);
    expect(received).toHaveLength(0);
  });
});

describe('SmtpTransport', () => {
  // A minimal SMTP server: enough of RFC 5321 for nodemailer, recording each message's DATA.
  let server: net.Server;
  let port: number;
  let messages: string[];
  let rejectRecipient: boolean;
  beforeAll(async () => {
    server = net.createServer((sock) => {
      let buf = '';
      let data: string[] | undefined;
      sock.write('220 test ESMTP\r\n');
      sock.on('data', (chunk) => {
        buf += chunk.toString('utf8');
        for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (data) {
            if (line === '.') {
              messages.push(data.join('\r\n'));
              data = undefined;
              sock.write('250 2.0.0 queued\r\n');
            } else data.push(line);
          } else if (/^(EHLO|HELO)/i.test(line)) sock.write('250 test\r\n');
          else if (/^RCPT/i.test(line) && rejectRecipient) sock.write('550 5.1.1 no such user\r\n');
          else if (/^DATA/i.test(line)) {
            data = [];
            sock.write('354 go ahead\r\n');
          } else if (/^QUIT/i.test(line)) sock.end('221 bye\r\n');
          else sock.write('250 OK\r\n');
        }
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  beforeEach(() => {
    messages = [];
    rejectRecipient = false;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const smtp = () =>
    new SmtpTransport({ host: '127.0.0.1', port, secure: false, from: '新乡县民政局 <noreply@xinxiang.example>' });
  const msg: OutboundMessage = {
    id: 'outbox-99',
    channel: 'EMAIL',
    recipient: 'zhangsan@example.com',
    subject: '不予认定告知书',
    body: '请查收附件。',
    attachments: [{ filename: 'notice.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.3 tiny') }],
  };

  it('sends with a Message-ID derived from the outbox id, the delivery id header and the attachment', async () => {
    const result = await smtp().send(msg);
    expect(result.providerMessageId).toBe('<outbox-99@xinxiang.example>');
    expect(messages).toHaveLength(1);
    const [raw] = messages;
    expect(raw).toMatch(/^Message-ID: <outbox-99@xinxiang\.example>$/im);
    expect(raw).toMatch(/^Doudi-Delivery-Id: outbox-99$/im);
    expect(raw).toMatch(/^To: zhangsan@example\.com$/im);
    expect(raw).toContain('filename=notice.pdf');
    expect(raw).toContain(Buffer.from('%PDF-1.3 tiny').toString('base64'));
  });

  it('marks a permanent SMTP rejection as not retryable', async () => {
    rejectRecipient = true;
    await expect(smtp().send(msg)).rejects.toMatchObject({ name: 'DeliveryError', retryable: false, status: 550 });
  });
});

describe('webhookSecretsFromJson', () => {
  const lookup = webhookSecretsFromJson(
    JSON.stringify({ 'https://a.example': 'sa', 'https://a.example/special/': 'sb', 'https://b.example/hooks': 'sc' }),
  );
  it('picks the longest prefix that matches at a URL boundary', () => {
    expect(lookup('https://a.example/hook')).toBe('sa');
    expect(lookup('https://a.example/special/x')).toBe('sb');
    expect(lookup('https://b.example/hooks?x=1')).toBe('sc');
    expect(lookup('https://a.example.evil.net/hook')).toBeUndefined();
    expect(lookup('https://b.example/hooksxyz')).toBeUndefined();
  });
  it('rejects malformed configuration', () => {
    expect(() => webhookSecretsFromJson('[]')).toThrow(/JSON object/);
    expect(() => webhookSecretsFromJson('{"https://a": 1}')).toThrow(/non-empty string/);
    expect(() => webhookSecretsFromJson('{')).toThrow();
    expect(webhookSecretsFromJson(undefined)('https://a.example')).toBeUndefined();
  });
});

describe('transportsFromEnv', () => {
  it('journals everything but webhooks to files by default', () => {
    const t = transportsFromEnv({}, '/tmp/doudi-data');
    expect([...t.keys()].sort()).toEqual(['EMAIL', 'IN_APP', 'LOG', 'SMS', 'WEBHOOK']);
    for (const ch of ['LOG', 'IN_APP', 'SMS', 'EMAIL'] as const) {
      expect(t.get(ch)).toBeInstanceOf(FileTransport);
      expect(t.get(ch)!.channel).toBe(ch);
    }
    expect(t.get('WEBHOOK')).toBeInstanceOf(WebhookTransport);
  });

  it('uses SMTP when SMTP_HOST is set, and fails fast on bad configuration', () => {
    const t = transportsFromEnv(
      { SMTP_HOST: 'smtp.example', SMTP_FROM: 'noreply@example.gov.cn', WEBHOOK_SECRETS: '{"https://x.example":"s"}' },
      '/tmp/d',
    );
    expect(t.get('EMAIL')).toBeInstanceOf(SmtpTransport);
    expect(() => transportsFromEnv({ SMTP_HOST: 'smtp.example' }, '/tmp/d')).toThrow(/SMTP_FROM/);
    expect(() => transportsFromEnv({ WEBHOOK_SECRETS: 'not json' }, '/tmp/d')).toThrow();
  });
});
