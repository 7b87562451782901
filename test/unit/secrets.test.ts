// Stored secrets (data/secrets.ts): sealed with AES-GCM under a key derived from the ID number keys.
import { generateKeySet, parseKeySet } from '../../data/id-keys';
import { openSecret, sealSecret } from '../../data/secrets';

const keys = parseKeySet(generateKeySet('k1'), 'test');

describe('sealSecret', () => {
  it('stores no trace of the secret and opens to it again; each sealing differs', () => {
    const a = sealSecret('whsec_abc', keys);
    expect(a).toMatch(/^sealed:v1:k1:/);
    expect(a).not.toContain('whsec_abc');
    expect(sealSecret('whsec_abc', keys)).not.toBe(a);
    expect(openSecret(a, keys)).toBe('whsec_abc');
  });

  it('refuses another key set and a tampered value', () => {
    const a = sealSecret('whsec_abc', keys);
    expect(() => openSecret(a, parseKeySet(generateKeySet('k1'), 'other'))).toThrow();
    const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA');
    expect(() => openSecret(tampered, keys)).toThrow();
  });

  it('reads a value stored before sealing as it is', () => {
    expect(openSecret('whsec_legacy', keys)).toBe('whsec_legacy');
  });
});
