// Secrets the system keeps in its tables (integrators' webhook secrets): AES-256-GCM under a key derived from the
// current ID number key (data/id-keys.ts: DOUDI_ID_KEYS, or the data folder's development set), so reading the table
// without the keys gives nothing to sign a forged webhook with. The derivation (HKDF, its own label) keeps these
// ciphertexts apart from ID numbers'; a key id in the stored value lets rotation add keys without rewriting them.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { idKeys, type IdKeySet } from './id-keys';

const PREFIX = 'sealed:v1:';

function subkey(keys: IdKeySet, keyId: string): Buffer {
  const key = keys.keys[keyId];
  if (!key) throw new Error(`secret key ${keyId} is not configured (DOUDI_ID_KEYS)`);
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'doudi stored secret', 32));
}

/** `sealed:v1:<key id>:<base64url iv ‖ tag ‖ ciphertext>`. */
export function sealSecret(plain: string, keys: IdKeySet = idKeys()): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', subkey(keys, keys.current), iv);
  c.setAAD(Buffer.from(keys.current, 'utf8'));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${PREFIX}${keys.current}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
}

/** The secret of a stored value; a value written before secrets were sealed is returned as it is. */
export function openSecret(stored: string, keys: IdKeySet = idKeys()): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const [keyId, data] = stored.slice(PREFIX.length).split(':');
  const raw = Buffer.from(data ?? '', 'base64url');
  const d = createDecipheriv('aes-256-gcm', subkey(keys, keyId), raw.subarray(0, 12));
  d.setAAD(Buffer.from(keyId, 'utf8'));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
