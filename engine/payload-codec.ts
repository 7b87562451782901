// Personal data in workflow histories (docs/architecture.md, "Personal data"): every payload a worker or client sends
// to Temporal (workflow inputs, activity results, Update arguments, memos, failure messages) is AES-256-GCM encrypted
// here, so the Temporal database and UI hold no names, ID numbers or household economics. Temporal sees only the
// metadata: the encoding and the id of the key, so keys can rotate (encrypt with the first, decrypt with any).
//
// Payloads that are not encrypted pass through decode unchanged: histories written before the codec existed (and the
// recorded histories of the replay tests) still replay.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const PAYLOAD_KEY_HELP =
  'DOUDI_PAYLOAD_KEY = "<key id>:<32 bytes base64>[,<older key id>:<32 bytes base64>…]" (the first one encrypts)';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** The id new payloads are encrypted with. */
  current: string;
  keys: Map<string, Buffer>;
  /** 'env' or the file it was read from. */
  source: string;
}

export function parsePayloadKeys(spec: string, source: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(part);
    const key = m ? Buffer.from(m[2], 'base64') : undefined;
    if (!m || key!.length !== 32) throw new Error(`invalid payload key (${source}). ${PAYLOAD_KEY_HELP}`);
    if (keys.has(m[1])) throw new Error(`payload key id "${m[1]}" given twice (${source})`);
    keys.set(m[1], key!);
    current ??= m[1];
  }
  if (!current) throw new Error(`no payload key (${source}). ${PAYLOAD_KEY_HELP}`);
  return { current, keys, source };
}

export function generatePayloadKey(keyId = 'p1'): string {
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}

/** The file `npm start` keeps the development key in (under the data folder, mode 600). */
export const payloadKeyFile = (dataDir: string): string => join(dataDir, 'keys', 'payload.key');

/**
 * DOUDI_PAYLOAD_KEY, else the data folder's key file, created on first use: every process started with the same
 * DOUDI_DATA_DIR (npm start, npm run worker/api/reconcile on one machine) shares it. Processes on several machines
 * must all be given DOUDI_PAYLOAD_KEY; with different keys they fail to decode each other's payloads, loudly.
 */
export function loadPayloadKeys(env: NodeJS.ProcessEnv = process.env): PayloadKeys {
  if (env.DOUDI_PAYLOAD_KEY) return parsePayloadKeys(env.DOUDI_PAYLOAD_KEY, 'env');
  const file = payloadKeyFile(resolve(env.DOUDI_DATA_DIR ?? join(__dirname, '..', '.data')));
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Written whole under another name, then linked into place: a process starting at the same moment (two workers
    // of the topology) finds either no file or the whole key, never an empty file it would refuse.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${generatePayloadKey()}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    try {
      linkSync(tmp, file);
      console.warn(`payload key: generated a key in ${file}; set DOUDI_PAYLOAD_KEY in production`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it meanwhile
    } finally {
      unlinkSync(tmp);
    }
  }
  return parsePayloadKeys(readFileSync(file, 'utf8'), file);
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.keys.get(this.keys.current)!;
    return payloads.map((p) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: Buffer.from(this.keys.current),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!isEncrypted(p)) return p;
      const keyId = Buffer.from(p.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const key = this.keys.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with key "${keyId}", which ${this.keys.source} does not have`);
      const data = Buffer.from(p.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

export function isEncrypted(p: Payload): boolean {
  const encoding = p.metadata?.encoding;
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString() === ENCRYPTED_ENCODING;
}

/** The failure converter's module (./failure-converter.ts): a worker's workflow bundle must be built with it. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter of every Temporal client and worker of Doudi. Failure messages and stack traces are encoded
 * payloads too (./failure-converter.ts), so the codec encrypts them.
 */
export function payloadDataConverter(keys: PayloadKeys = loadPayloadKeys()): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
