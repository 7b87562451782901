// One-case-one-discussion through real HTTP, Temporal and PostgreSQL: an integrator escalates with its API key, the
// departments and the chair work through the API, and the integrator's local HTTP server receives signed webhooks —
// also after being down for a while, each message once.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { newApiKey, newWebhookSecret, saveIntegrator } from '../../api/http/integrators';
import { verifyWebhook } from '../../engine/notifications/transports';
import { type Department } from '../../domain/glossary';

jest.setTimeout(90_000);

let stack: Stack;
let caseworker: string;
let officer: string;
let supervisor: string;
const departmentToken = (department: Department) =>
  stack.sign({ sub: `dept-${department}`, role: 'department', region: '410721', department });

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker');
  officer = stack.token('county_officer', '410721');
  supervisor = stack.token('supervisor', '410721');
});
afterAll(async () => {
  await stack?.stop();
});

interface Received {
  deliveryId: string;
  status: number;
  verified: boolean;
  body: any;
}

/** A webhook receiver on 127.0.0.1: verifies each request, answers `mode()` and dedupes on Doudi-Delivery-Id. */
function receiver(secret: () => string, mode: () => 'up' | 'busy' = () => 'up') {
  const received: Received[] = [];
  const accepted = new Map<string, number>(); // delivery id → times accepted with 2xx
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhook(
        secret(),
        req.headers as Record<string, string>,
        raw,
        Math.floor(Date.now() / 1000),
      );
      const deliveryId = String(req.headers['doudi-delivery-id']);
      const status = !verified ? 401 : mode() === 'busy' ? 503 : 204;
      received.push({ deliveryId, status, verified, body: JSON.parse(raw) });
      if (status === 204) accepted.set(deliveryId, (accepted.get(deliveryId) ?? 0) + 1);
      res.writeHead(status).end();
    });
  });
  return {
    received,
    accepted,
    server,
    listen: (port = 0) =>
      new Promise<number>((r) =>
        server.listen(port, '127.0.0.1', () => r((server.address() as { port: number }).port)),
      ),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  tries = 300,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function newCase(): Promise<string> {
  const r = await stack.call('POST', '/api/v1/applications', { token: caseworker, body: singlePersonApplication() });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

async function integrator(id: string, webhookUrl: string) {
  const apiKey = newApiKey();
  const secret = newWebhookSecret();
  await saveIntegrator(stack.db, {
    id,
    name: `test ${id}`,
    regionCode: '410721',
    apiKey,
    webhookUrl,
    webhookSecret: secret,
  });
  return { apiKey, secret };
}

describe('escalation by an integrator', () => {
  it(
    'posts with its API key, departments give opinions, the chair decides, the signed webhook arrives and the ' +
      'case hears of it',
    async () => {
      let secret = '';
      const hook = receiver(() => secret);
      const port = await hook.listen();
      const registered = await integrator(`int-${process.pid}-a`, `http://127.0.0.1:${port}/doudi`);
      const apiKey = registered.apiKey;
      secret = registered.secret;
      const caseId = await newCase();
      const body = {
        reason: '因病致贫，医疗支出远超低保标准',
        requestedBy: '县医保局对接系统',
        departments: ['HEALTH', 'MEDICAL_INSURANCE'],
        proposal: '提高救助金额至 900 元',
      };

      // Bad input and the wrong kind of caller change nothing.
      expect(
        (
          await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, {
            headers: { 'x-api-key': 'dk_wrong' },
            body,
          })
        ).status,
      ).toBe(401);
      expect(
        (await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, { token: caseworker, body })).status,
      ).toBe(403);
      expect(
        (
          await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, {
            headers: { 'x-api-key': apiKey },
            body: { ...body, departments: ['NOPE'] },
          })
        ).status,
      ).toBe(400);
      expect(await stack.db('conferences').where({ case_id: caseId })).toEqual([]);

      const posted = await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, {
        headers: { 'x-api-key': apiKey, 'idempotency-key': 'esc-1' },
        body,
      });
      expect(posted.status).toBe(202);
      const conferenceId = posted.body.conferenceId;
      const again = await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, {
        headers: { 'x-api-key': apiKey, 'idempotency-key': 'esc-1' },
        body,
      });
      expect(again.status).toBe(202);
      expect(again.body.conferenceId).toBe(conferenceId);
      expect(await stack.db('conferences').where({ case_id: caseId })).toHaveLength(1);

      // Each department sees its own opinion task only.
      const health = departmentToken('HEALTH');
      const insurance = departmentToken('MEDICAL_INSURANCE');
      const healthTask = await until(
        'HEALTH opinion task',
        async () =>
          (await stack.call('GET', `/api/v1/tasks?caseId=${conferenceId}`, { token: health })).body.items?.[0],
      );
      expect(healthTask).toMatchObject({
        type: 'conferenceOpinion',
        department: 'HEALTH',
        candidateRole: 'department',
      });
      const insuranceTasks = (await stack.call('GET', `/api/v1/tasks?caseId=${conferenceId}`, { token: insurance }))
        .body.items;
      expect(insuranceTasks.map((t: any) => t.department)).toEqual(['MEDICAL_INSURANCE']);
      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(healthTask.id)}/complete`, {
            token: insurance,
            body: { outcome: 'GIVEN', data: { opinion: 'x' } },
          })
        ).status,
      ).toBe(404);
      const inbox = await stack.call('GET', '/api/v1/me/notifications', { token: health });
      expect(inbox.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            caseId: conferenceId,
            payload: expect.objectContaining({ type: 'conference.opinionRequested', department: 'HEALTH' }),
          }),
        ]),
      );

      const given = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(healthTask.id)}/complete`, {
        token: health,
        body: { outcome: 'GIVEN', data: { opinion: '大病救助已给付 3000 元' } },
      });
      expect(given.status).toBe(200);

      // The chair may not decide while MEDICAL_INSURANCE's opinion is awaited (its deadline has not passed).
      const chairTaskId = `${conferenceId}:caseConference:1`;
      const early = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(chairTaskId)}/complete`, {
        token: officer,
        body: { outcome: 'RAISE_AMOUNT', data: { raisedAmount: 900 } },
      });
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({ code: 'WRONG_STATE', details: { awaited: ['MEDICAL_INSURANCE'] } });
      const progress = await stack.call('GET', `/api/v1/escalations/${conferenceId}`, {
        headers: { 'x-api-key': apiKey },
      });
      expect(progress.body).toMatchObject({ status: 'CONVENED', decision: null });
      expect(progress.body.opinions.map((o: any) => `${o.department}:${o.status}`)).toEqual([
        'HEALTH:GIVEN',
        'MEDICAL_INSURANCE:AWAITED',
      ]);

      expect(
        (
          await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(insuranceTasks[0].id)}/complete`, {
            token: insurance,
            body: { outcome: 'GIVEN', data: { opinion: '医保报销后自付仍高' } },
          })
        ).status,
      ).toBe(200);
      const decided = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(chairTaskId)}/complete`, {
        token: officer,
        body: { outcome: 'RAISE_AMOUNT', data: { raisedAmount: 900, notes: '一事一议通过' } },
      });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ status: 'DECIDED', openTasks: [] });

      const detail = await stack.call('GET', `/api/v1/escalations/${conferenceId}`, {
        headers: { 'x-api-key': apiKey },
      });
      expect(detail.body).toMatchObject({
        id: conferenceId,
        caseId,
        status: 'DECIDED',
        requesterRef: '县医保局对接系统',
        departments: ['HEALTH', 'MEDICAL_INSURANCE'],
        decision: { outcome: 'RAISE_AMOUNT', raisedAmount: 900, missingOpinions: [] },
        missingOpinions: [],
      });
      expect(detail.body.opinions.map((o: any) => `${o.department}:${o.status}:${o.opinion}`)).toEqual([
        'HEALTH:GIVEN:大病救助已给付 3000 元',
        'MEDICAL_INSURANCE:GIVEN:医保报销后自付仍高',
      ]);
      const listed = await stack.call('GET', `/api/v1/escalations?caseId=${caseId}`, {
        headers: { 'x-api-key': apiKey },
      });
      expect(listed.body.items.map((e: any) => e.id)).toEqual([conferenceId]);
      const otherIntegrator = stack.token('integrator', '410721', 'someone-else');
      expect((await stack.call('GET', `/api/v1/escalations/${conferenceId}`, { token: otherIntegrator })).status).toBe(
        404,
      );

      // The signed webhooks: received, verified, each once.
      await until('conference.decided webhook', () => hook.received.some((r) => r.body.type === 'conference.decided'));
      await until('escalation.received webhook', () =>
        hook.received.some((r) => r.body.type === 'escalation.received'),
      );
      const decidedHook = hook.received.find((r) => r.body.type === 'conference.decided')!;
      expect(decidedHook).toMatchObject({ verified: true, status: 204, deliveryId: `${conferenceId}:decided:webhook` });
      expect(decidedHook.body).toMatchObject({
        id: `${conferenceId}:decided:webhook`,
        data: { conferenceId, caseId, outcome: 'RAISE_AMOUNT', raisedAmount: 900, missingOpinions: [] },
      });
      expect(hook.received.every((r) => r.verified)).toBe(true);
      expect(
        verifyWebhook(
          'another secret',
          { 'doudi-timestamp': '1', 'doudi-signature': 'v1=00' },
          JSON.stringify(decidedHook.body),
          1,
        ),
      ).toBe(false);

      // The originating case received the decision (its timeline shows it).
      const timeline = await until('case timeline entry', async () => {
        const t = (await stack.call('GET', `/api/v1/cases/${caseId}`, { token: caseworker })).body.timeline as any[];
        return t.find((e) => e.action === 'case.conferenceDecision');
      });
      expect(timeline.after).toMatchObject({ conferenceId, outcome: 'RAISE_AMOUNT', raisedAmount: 900 });
      await hook.close();
    },
  );

  it('a receiver down for a while gets every message once it is back, and none twice', async () => {
    let mode: 'up' | 'busy' = 'busy';
    // Reserve a port, then stop listening: the first attempts find nobody there.
    const probe = receiver(() => 'x');
    const port = await probe.listen();
    await probe.close();
    const { apiKey, secret } = await integrator(`int-${process.pid}-b`, `http://127.0.0.1:${port}/hook`);
    const hook = receiver(
      () => secret,
      () => mode,
    );

    const caseId = await newCase();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const r = await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, {
        headers: { 'x-api-key': apiKey, 'idempotency-key': `down-${n}` },
        body: { reason: `reason ${n}`, requestedBy: 'sys', departments: ['HOUSING'] },
      });
      expect(r.status).toBe(202);
      ids.push(`${r.body.conferenceId}:received:webhook`);
    }
    // Not listening: each message fails at least once and is listed as failed for the county's supervisors.
    await until('failed attempts while down', async () => {
      const rows = await stack.db('notifications').whereIn('id', ids);
      return rows.length === 3 && rows.every((r) => r.attempts >= 1 && r.status === 'FAILED');
    });
    const failed = await stack.call('GET', `/api/v1/notifications?status=failed&channel=WEBHOOK&caseId=${caseId}`, {
      token: supervisor,
    });
    expect(failed.status).toBe(200);
    expect(failed.body.items.map((n: any) => n.id).sort()).toEqual([...ids].sort());
    expect(failed.body.items[0]).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('failed') });
    expect((await stack.call('GET', '/api/v1/notifications?status=failed', { token: caseworker })).status).toBe(403);

    // Listening but answering 503 for a while, then up.
    await hook.listen(port);
    await until('503 answers', () =>
      ids.every((id) => hook.received.some((r) => r.deliveryId === id && r.status === 503)),
    );
    mode = 'up';
    await until('every message accepted', () => ids.every((id) => hook.accepted.has(id)));
    await until('outbox marks them sent', async () =>
      (await stack.db('notifications').whereIn('id', ids)).every((r) => r.status === 'SENT'),
    );

    expect(ids.map((id) => hook.accepted.get(id))).toEqual([1, 1, 1]);
    expect(hook.received.every((r) => r.verified)).toBe(true);
    const rows = await stack.db('notifications').whereIn('id', ids);
    // Sent messages are never picked again: the attempts recorded equal the attempts the receiver saw while listening,
    // plus those that found nobody listening.
    for (const r of rows)
      expect(r.attempts).toBeGreaterThanOrEqual(hook.received.filter((x) => x.deliveryId === r.id).length);
    const sent = await stack.call('GET', `/api/v1/notifications?status=failed&caseId=${caseId}`, { token: supervisor });
    expect(sent.body.items).toEqual([]);
    await hook.close();
  });
});
