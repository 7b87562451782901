// Rotating the keys of ID numbers at rest (data/id-keys.ts). Re-encryption: every row sealed with a key other than
// the current one is opened and sealed again with the current key, page by page, each page in its own transaction,
// so the application keeps running (both keys stay configured until the script has finished). Re-hashing under a new
// lookup key changes what every lookup computes, so it runs with the application stopped.
import type { Knex } from 'knex';
import { lookupHash, openIdNumber, sealIdNumber, type IdKeySet } from './id-keys';

export interface RotationResult {
  reencrypted: number;
  rehashed: number;
}

export async function rotateIdKeys(
  db: Knex,
  keys: IdKeySet,
  opts: { newLookup?: Buffer; pageSize?: number; onPage?: (done: number) => void } = {},
): Promise<RotationResult> {
  const pageSize = opts.pageSize ?? 1000;
  const result: RotationResult = { reencrypted: 0, rehashed: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await db.transaction(async (trx) => {
      const q = trx('people').where('id', '>', after).orderBy('id').limit(pageSize).forUpdate();
      if (!opts.newLookup) q.whereNot('id_key', keys.current);
      const rows = await q.select('id', 'id_cipher', 'id_key');
      for (const r of rows) {
        const idNumber = openIdNumber({ cipher: r.id_cipher, keyId: r.id_key }, keys);
        const patch: Record<string, unknown> = {};
        if (r.id_key !== keys.current) {
          const sealed = sealIdNumber(idNumber, keys);
          patch.id_cipher = sealed.cipher;
          patch.id_key = sealed.keyId;
          result.reencrypted++;
        }
        if (opts.newLookup) {
          patch.id_hash = lookupHash(idNumber, { ...keys, lookup: opts.newLookup });
          result.rehashed++;
        }
        if (Object.keys(patch).length) await trx('people').where({ id: r.id }).update(patch);
      }
      if (rows.length) after = rows[rows.length - 1].id;
      return rows.length < pageSize;
    });
    opts.onPage?.(result.reencrypted + result.rehashed);
    if (done) return result;
  }
}
