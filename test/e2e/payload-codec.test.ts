// Personal data in workflow histories is encrypted (engine/payload-codec.ts): the history of a real case, read straight
// from the Temporal server by a client without the codec, holds neither the applicant's name nor her ID number nor
// her household's figures (here: in a caseworker's comment); the same history decoded with the key holds them (so the
// scan is not vacuous). The API's codec endpoint (api/http/codec.ts) decodes for an administrator only, and answers
// the Temporal UI's origin.
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Payload } from '@temporalio/common';
import { readFileSync } from 'node:fs';
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { E2E_ENV_FILE } from '../support/global-setup';
import { AesGcmPayloadCodec, isEncrypted, parsePayloadKeys } from '../../engine/payload-codec';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';

jest.setTimeout(60_000);

let stack: Stack;
let raw: Client;
let rawConnection: Connection;
let codec: AesGcmPayloadCodec;

beforeAll(async () => {
  stack = await startStack();
  const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { temporalAddress: string };
  rawConnection = await Connection.connect({ address: env.temporalAddress });
  raw = new Client({ connection: rawConnection, namespace: 'default' }); // no data converter: what the server holds
  codec = new AesGcmPayloadCodec(parsePayloadKeys(process.env.DOUDI_PAYLOAD_KEY!, 'e2e'));
});
afterAll(async () => {
  await rawConnection?.close();
  await stack?.stop();
});

/** Every payload anywhere in a history (inputs, results, Update arguments, memos, failures' encoded attributes). */
function payloadsOf(node: unknown, out: Payload[] = []): Payload[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') out.push(o as Payload);
  else for (const v of Object.values(o)) payloadsOf(v, out);
  return out;
}

const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'utf8'));

async function caseWithSteps() {
  const today = shanghaiDate(Date.now());
  const body = singlePersonApplication({ receivedOn: addCalendarDays(today, -3) });
  const person = body.people[0];
  const caseworker = stack.token('caseworker');
  const r = await stack.call('POST', '/api/v1/applications', { token: caseworker, body });
  expect(r.status).toBe(201);
  const caseId = r.body.caseId as string;
  // One human step, with what a caseworker may well write in a comment: the workflow's inputs carry ids and dates only
  // (docs/architecture.md §7), but free text reaches the history as an Update's argument.
  const tasks = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=accept`, { token: caseworker });
  const done = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(tasks.body.items[0].id)}/complete`, {
    token: caseworker,
    body: {
      outcome: 'ACCEPTED',
      data: { effectiveOn: today },
      comment: `${person.name}（${person.idNumber}）交齐材料，存款 73519 元`,
    },
  });
  expect(done.status).toBe(200);
  const { workflow_id } = await stack.db('cases').where({ id: caseId }).first('workflow_id');
  return { caseId, workflowId: workflow_id as string, person };
}

describe('workflow histories on the Temporal server', () => {
  it('hold no name, ID number or household figure in plaintext: all but bookkeeping is encrypted', async () => {
    const { workflowId, person } = await caseWithSteps();
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const bytes = temporal.api.history.v1.History.encode(history).finish();
    for (const secret of [person.name, person.idNumber, person.idNumber.slice(6, 14), '73519'])
      expect(contains(bytes, secret)).toBe(false);

    // In plaintext only what Temporal itself must read: search attribute values (typed, and by rule never personal)
    // and the SDK's bookkeeping: of local activities (sequence, attempt, activity type) and of patches (their names).
    const payloads = payloadsOf(history);
    expect(payloads.length).toBeGreaterThan(5);
    const plaintext = payloads.filter((p) => !isEncrypted(p));
    const bookkeeping =
      /^\{"seq":\d+,"attempt":\d+,"activity_id":"\d+","activity_type":"\w+",|^\{"id":"[\w-]+","deprecated":\w+\}$/;
    for (const p of plaintext)
      expect(p.metadata!.type !== undefined || bookkeeping.test(Buffer.from(p.data!).toString())).toBe(true);

    // Decoded with the key, the same history does hold them: the scan above looked where the data is.
    const plain = Buffer.concat((await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? [])));
    for (const secret of [person.name, person.idNumber, '73519']) expect(contains(plain, secret)).toBe(true);
  });
});

describe('the codec endpoint', () => {
  let encrypted: Payload;
  const json = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data!).toString('base64'),
  });
  beforeAll(async () => {
    const { workflowId } = await caseWithSteps();
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    // the payload that holds the comment (the Update's argument)
    for (const p of payloadsOf(history).filter(isEncrypted))
      if (contains((await codec.decode([p]))[0].data!, '73519')) encrypted = p;
    expect(encrypted).toBeDefined();
  });

  it('decodes for an administrator, by bearer token or by the cookie the Temporal UI sends', async () => {
    const admin = stack.token('admin', '410721');
    const ways: Record<string, string>[] = [{ authorization: `Bearer ${admin}` }, { cookie: `doudi_codec=${admin}` }];
    for (const headers of ways) {
      const r = await stack.call('POST', '/codec/decode', {
        headers: { ...headers, 'x-namespace': 'default' },
        body: { payloads: [json(encrypted)] },
      });
      expect(r.status).toBe(200);
      const data = Buffer.from(r.body.payloads[0].data, 'base64').toString();
      expect(data).toContain('73519');
      expect(Buffer.from(r.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    }
    // encode, then decode: the round trip of the protocol
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'eyJhIjoxfQ==' };
    const enc = await stack.call('POST', '/codec/encode', {
      token: admin,
      body: { payloads: [plain] },
    });
    expect(Buffer.from(enc.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const dec = await stack.call('POST', '/codec/decode', { token: admin, body: { payloads: enc.body.payloads } });
    expect(dec.body.payloads).toEqual([plain]);
  });

  it('refuses anyone else, and a payload it cannot open, without decoding anything', async () => {
    const body = { payloads: [json(encrypted)] };
    expect((await stack.call('POST', '/codec/decode', { body })).status).toBe(401);
    for (const role of ['caseworker', 'supervisor', 'integrator'] as const) {
      const r = await stack.call('POST', '/codec/decode', { token: stack.token(role, '410721'), body });
      expect(r.status).toBe(403);
      expect(JSON.stringify(r.body)).not.toContain('73519');
    }
    const tampered = json(encrypted);
    tampered.data = Buffer.from(Buffer.from(tampered.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString(
      'base64',
    );
    const r = await stack.call('POST', '/codec/decode', {
      token: stack.token('admin', '410721'),
      body: { payloads: [tampered] },
    });
    expect(r.status).toBe(400);
  });

  it("answers the Temporal UI's CORS preflight, and no other origin's", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace,authorization',
        },
      });
    const ui = await preflight('http://localhost:8233');
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ui.headers.get('access-control-allow-headers')).toMatch(/x-namespace/i);
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
