// Bench helpers: people rows in bulk, with real keyed hashes and ciphertexts (data/id-keys.ts), through COPY.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { lookupHash, sealIdNumber } from '../../data/id-keys';
import { checkCharacter } from '../../domain/idNumber';
import { addCalendarDays } from '../../domain/calendar';

/** The same uuid PostgreSQL's md5(text)::uuid gives, so SQL can refer to rows made here. */
export const md5Uuid = (s: string) =>
  createHash('md5')
    .update(s)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** The i-th bench person's ID number (valid, unique for i < 20,000,000): birth dates from 1940, 1000 a day. */
export function benchIdNumber(i: number): { idNumber: string; birthDate: string; sex: 'M' | 'F' } {
  const birthDate = addCalendarDays('1940-01-01', i % 20_000);
  const seq = Math.floor(i / 20_000) % 1000;
  const first17 = `410721${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return { idNumber: first17 + checkCharacter(first17), birthDate, sex: seq % 2 ? 'M' : 'F' };
}

/** Persons 1..n (ids md5('p' || i)) through one COPY, generated as they stream. */
export async function copyPeople(db: Knex, n: number, from = 1): Promise<void> {
  const conn = await (db.client as { acquireConnection(): Promise<import('pg').PoolClient> }).acquireConnection();
  try {
    async function* lines() {
      let buf = '';
      for (let i = from; i < from + n; i++) {
        const p = benchIdNumber(i);
        const sealed = sealIdNumber(p.idNumber);
        buf +=
          `${md5Uuid(`p${i}`)}\t\\\\x${lookupHash(p.idNumber).toString('hex')}\t` +
          `\\\\x${sealed.cipher.toString('hex')}\t` +
          `${sealed.keyId}\t测试${i}\t${p.birthDate}\t${p.sex}\n`;
        if (buf.length > 1 << 16) {
          yield buf;
          buf = '';
        }
      }
      if (buf) yield buf;
    }
    await pipeline(
      Readable.from(lines()),
      conn.query(copyFrom('copy people (id, id_hash, id_cipher, id_key, name, birth_date, sex) from stdin')),
    );
  } finally {
    await (db.client as { releaseConnection(c: unknown): Promise<void> }).releaseConnection(conn);
  }
}
