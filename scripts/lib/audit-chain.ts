// Walks the audit log's hash chain (migrations/011_audit_chain.ts) in chain order and reports the first broken link:
// a row whose content no longer gives its hash (edited), whose predecessor's hash is not the one it recorded (a row
// removed or re-hashed before it), a gap in the sequence, or a chain head that does not name the last row (rows
// removed from the end). Hashes are recomputed by the database's own function, the one the trigger uses.
import type { Knex } from 'knex';
import { GENESIS_HASH } from '../../migrations/011_audit_chain';

export interface BrokenLink {
  chainSeq: number;
  id: string | null;
  problem: 'CONTENT_CHANGED' | 'PREVIOUS_HASH_MISMATCH' | 'SEQUENCE_GAP' | 'HEAD_MISMATCH';
  message: string;
}

export interface ChainReport {
  rows: number;
  headHash: string;
  broken?: BrokenLink;
}

export async function verifyAuditChain(db: Knex, pageSize = 5_000): Promise<ChainReport> {
  // The head first: rows appended while we walk are past it, and every row up to it has committed (the head moves in
  // the transaction of the row it names).
  const head = await db('audit_chain_head').where({ id: 1 }).first('last_seq', 'last_hash');
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let rows = 0;
  for (;;) {
    const page = await db.raw(
      `select a.id, a.chain_seq, a.prev_hash, a.row_hash, audit_row_hash(a.prev_hash, a) as computed
         from audit_log a where a.chain_seq > ? and a.chain_seq <= ? order by a.chain_seq limit ?`,
      [prevSeq, head.last_seq, pageSize],
    );
    for (const r of page.rows as {
      id: string;
      chain_seq: string;
      prev_hash: string;
      row_hash: string;
      computed: string;
    }[]) {
      const chainSeq = Number(r.chain_seq);
      const at = { chainSeq, id: String(r.id) };
      if (chainSeq !== prevSeq + 1)
        return {
          rows,
          headHash: prevHash,
          broken: {
            ...at,
            problem: 'SEQUENCE_GAP',
            message: `rows ${prevSeq + 1}…${chainSeq - 1} of the chain are missing`,
          },
        };
      if (r.prev_hash !== prevHash)
        return {
          rows,
          headHash: prevHash,
          broken: {
            ...at,
            problem: 'PREVIOUS_HASH_MISMATCH',
            message: "the hash it records for the row before is not that row's hash",
          },
        };
      if (r.computed !== r.row_hash)
        return {
          rows,
          headHash: prevHash,
          broken: {
            ...at,
            problem: 'CONTENT_CHANGED',
            message: 'its content no longer gives its hash: the row was edited',
          },
        };
      prevHash = r.row_hash;
      prevSeq = chainSeq;
      rows++;
    }
    if (page.rows.length < pageSize) break;
  }
  if (Number(head.last_seq) !== prevSeq || head.last_hash !== prevHash)
    return {
      rows,
      headHash: prevHash,
      broken: {
        chainSeq: Number(head.last_seq),
        id: null,
        problem: 'HEAD_MISMATCH',
        message: `the chain head names row ${head.last_seq}, the last row is ${prevSeq}: rows were removed at the end`,
      },
    };
  return { rows, headHash: prevHash };
}
