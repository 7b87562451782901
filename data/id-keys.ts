// ID numbers at rest (docs/architecture.md, "Personal data"): a keyed hash for exact lookups and AES-256-GCM for the
// number itself, so someone who can read the tables but not the key sees neither the number nor a hash they could
// brute-force (18-digit ID numbers with a known structure are few enough to enumerate an unkeyed hash).
//
// Keys come from DOUDI_ID_KEYS (JSON, see ID_KEYS_HELP); with nothing configured a development key set is generated
// once into <data dir>/keys/person-id.json so `npm start` works without configuration. Rotation of the encryption
// key: add a key, make it `current`, run `npm run rotate-id-keys` (scripts/rotate-id-keys.ts), then drop the old one.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

export const ID_KEYS_HELP =
  'DOUDI_ID_KEYS = {"lookup":"<32 bytes base64>","current":"<key id>","keys":{"<key id>":"<32 bytes base64>"}}';

const Key32 = z
  .string()
  .refine((s) => Buffer.from(s, 'base64').length === 32, 'a key is 32 bytes, base64-encoded')
  .transform((s) => Buffer.from(s, 'base64'));

const KeySetSchema = z
  .object({
    lookup: Key32,
    current: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    keys: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), Key32),
  })
  .refine((k) => k.current in k.keys, 'current names a key that is not in keys');

export interface IdKeySet {
  /** HMAC-SHA256 key of the lookup hash. Changing it means re-hashing every row (rotate-id-keys --rehash). */
  lookup: Buffer;
  /** The key id new ciphertexts are written with. */
  current: string;
  keys: Record<string, Buffer>;
  /** Where the keys came from: 'env' or the development file's path. */
  source: string;
}

export function parseKeySet(json: string, source: string): IdKeySet {
  const r = KeySetSchema.safeParse(JSON.parse(json));
  if (!r.success) throw new Error(`invalid ID number keys (${source}): ${r.error.issues[0].message}. ${ID_KEYS_HELP}`);
  return { ...r.data, source };
}

export function generateKeySet(keyId = 'dev1'): string {
  return JSON.stringify({
    lookup: randomBytes(32).toString('base64'),
    current: keyId,
    keys: { [keyId]: randomBytes(32).toString('base64') },
  });
}

/** The key set of this process: DOUDI_ID_KEYS, else the development file (created on first use). */
export function loadKeySet(env: NodeJS.ProcessEnv = process.env): IdKeySet {
  if (env.DOUDI_ID_KEYS) return parseKeySet(env.DOUDI_ID_KEYS, 'env');
  // The data folder as config/index.ts resolves it (data/ sits below config/ in the layers).
  const file = join(resolve(env.DOUDI_DATA_DIR ?? join(__dirname, '..', '.data')), 'keys', 'person-id.json');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, generateKeySet(), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    console.warn(`ID number keys: generated a development key set in ${file}; set DOUDI_ID_KEYS in production`);
  }
  return parseKeySet(readFileSync(file, 'utf8'), file);
}

let cached: IdKeySet | undefined;
/** The process-wide key set, loaded once. */
export function idKeys(): IdKeySet {
  return (cached ??= loadKeySet());
}
/** Tests and the rotation script switch key sets. */
export function useKeySet(keys: IdKeySet | undefined): void {
  cached = keys;
}

/** The keyed lookup hash of a normalised ID number (32 bytes). */
export function lookupHash(idNumber: string, keys: IdKeySet = idKeys()): Buffer {
  return createHmac('sha256', keys.lookup).update(idNumber, 'utf8').digest();
}

export interface Sealed {
  cipher: Buffer;
  keyId: string;
}

/** iv (12) ‖ tag (16) ‖ ciphertext; the key id is authenticated with it, so a row cannot claim another key. */
export function sealIdNumber(idNumber: string, keys: IdKeySet = idKeys()): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keys.keys[keys.current], iv);
  c.setAAD(Buffer.from(keys.current, 'utf8'));
  const body = Buffer.concat([c.update(idNumber, 'utf8'), c.final()]);
  return { cipher: Buffer.concat([iv, c.getAuthTag(), body]), keyId: keys.current };
}

export function openIdNumber(sealed: Sealed, keys: IdKeySet = idKeys()): string {
  const key = keys.keys[sealed.keyId];
  if (!key) throw new Error(`ID number key ${sealed.keyId} is not configured`);
  const d = createDecipheriv('aes-256-gcm', key, sealed.cipher.subarray(0, 12));
  d.setAAD(Buffer.from(sealed.keyId, 'utf8'));
  d.setAuthTag(sealed.cipher.subarray(12, 28));
  return Buffer.concat([d.update(sealed.cipher.subarray(28)), d.final()]).toString('utf8');
}
