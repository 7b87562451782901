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
