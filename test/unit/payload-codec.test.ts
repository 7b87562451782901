// The payload codec's keys (engine/payload-codec.ts): rotation keeps old payloads readable, plaintext passes through.
import { AesGcmPayloadCodec, generatePayloadKey, isEncrypted, parsePayloadKeys } from '../../engine/payload-codec';

const payload = (text: string) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(text) });
const text = (p: { data?: Uint8Array | null }) => Buffer.from(p.data ?? []).toString();

describe('payload codec', () => {
  it('encrypts with the first key and still decrypts what an older key encrypted', async () => {
    const old = generatePayloadKey('p1');
    const before = new AesGcmPayloadCodec(parsePayloadKeys(old, 'test'));
    const sealed = await before.encode([payload('"王秀英"')]);
    expect(isEncrypted(sealed[0])).toBe(true);
    expect(text(sealed[0])).not.toContain('王秀英');
    expect(Buffer.from(sealed[0].metadata!['encryption-key-id']!).toString()).toBe('p1');

    const after = new AesGcmPayloadCodec(parsePayloadKeys(`${generatePayloadKey('p2')},${old}`, 'test'));
    expect(text((await after.decode(sealed))[0])).toBe('"王秀英"');
    const resealed = await after.encode([payload('"x"')]);
    expect(Buffer.from(resealed[0].metadata!['encryption-key-id']!).toString()).toBe('p2');
    await expect(before.decode(resealed)).rejects.toThrow(/key "p2"/);
  });

  it('passes unencrypted payloads through decode (histories recorded before the codec)', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(generatePayloadKey(), 'test'));
    const plain = payload('{"caseId":"c1"}');
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses malformed key settings', () => {
    expect(() => parsePayloadKeys('p1:short', 'env')).toThrow(/DOUDI_PAYLOAD_KEY = /);
    expect(() => parsePayloadKeys('', 'env')).toThrow(/no payload key/);
    const k = generatePayloadKey('p1');
    expect(() => parsePayloadKeys(`${k},${k}`, 'env')).toThrow(/twice/);
  });
});

// Two workers of the topology start at once with one data folder: each must find the whole key or make it, never
// read a file another is still writing (the race that stopped `npm run test:topology`'s worker-1 on 2026-12-04).
describe('the data folder key, made by processes starting at once', () => {
  it('is one key for all of them, and none fails', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'doudi-key-race-'));
    const script = `
      const { loadPayloadKeys } = require(${JSON.stringify(require.resolve('../../engine/payload-codec'))});
      const k = loadPayloadKeys({ DOUDI_DATA_DIR: ${JSON.stringify(dir)} });
      process.stdout.write(Buffer.from(k.keys.get(k.current)).toString('hex'));`;
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', (code) => resolve({ code, out }));
      });
    const results = await Promise.all(Array.from({ length: 6 }, run));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new Set(results.map((r) => r.out)).size).toBe(1);
    expect(results[0].out).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
