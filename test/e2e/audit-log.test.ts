// The audit log is whole and tamper-evident (docs/architecture.md, "The audit log"): an act sent to the workflow is
// audited by the workflow's own write, with the acting role; status changes are audited; the application's role can
// append rows but not change or remove them; every row is hash-chained, and `npm run audit:verify` names the first
// row an owner edited (or the gap a removed row leaves).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT } from '../../config';
import { audit, auditOnce } from '../../data/audit';
import { createKnex } from '../../data/db';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { migrateLatest } from '../../migrations';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';
import { verifyAuditChain } from '../../scripts/lib/audit-chain';
import { singlePersonApplication } from '../support/fixtures';
import { E2E_ENV_FILE } from '../support/global-setup';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(90_000);

const env = () => JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8')) as { databaseUrl: string; appDatabaseUrl: string };
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Not spawnSync: the worker runs in this process and must go on meanwhile. */
function auditVerify(databaseUrl: string): Promise<{ status: number; out: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/audit-verify.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  }).then(
    (r) => ({ status: 0, out: `${r.stdout}${r.stderr}` }),
    (e: { code: number; stdout: string; stderr: string }) => ({ status: e.code, out: `${e.stdout}${e.stderr}` }),
  );
}

describe('audit rows of acts on a case', () => {
  it('an extension is audited once, by the workflow with its change, as the reviewer; status changes too', async () => {
    const today = shanghaiDate(Date.now());
    const caseworker = stack.token('caseworker');
    const body = singlePersonApplication({ receivedOn: addCalendarDays(today, -3) });
    const r = await stack.call('POST', '/api/v1/applications', { token: caseworker, body });
    expect(r.status).toBe(201);
    const caseId = r.body.caseId as string;
    const tasks = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=accept`, { token: caseworker });
    const accepted = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(tasks.body.items[0].id)}/complete`, {
      token: caseworker,
      body: { outcome: 'ACCEPTED', data: { effectiveOn: today } },
    });
    expect(accepted.status).toBe(200);
    const ext = await stack.call('POST', `/api/v1/cases/${caseId}/extensions`, {
      token: stack.token('reviewer', '410721100', 'reviewer-li'),
      body: { reason: '需补充外地收入证明' },
    });
    expect(ext.status).toBe(200);
    expect(Object.keys(ext.body)).toEqual(['dueOn']);

    const rows = await stack.db('audit_log').where({ case_id: caseId }).orderBy('chain_seq');
    const extensions = rows.filter((a) => a.action === 'case.extend');
    expect(extensions).toHaveLength(1);
    expect(extensions[0]).toMatchObject({ actor: 'reviewer-li', role: 'reviewer', reason: '需补充外地收入证明' });
    expect(extensions[0].write_key).toBeTruthy(); // the workflow's write, not the API's after it
    expect(extensions[0].after).toEqual({ dueOn: ext.body.dueOn });
    // the deadline row it moved committed in the same transaction
    const deadline = await stack.db('deadlines').where({ case_id: caseId, kind: 'wholeCase' }).first('due_on');
    expect(deadline.due_on).toBe(ext.body.dueOn);

    const statuses = rows.filter((a) => a.action === 'case.status').map((a) => [a.before.status, a.after.status]);
    expect(statuses).toContainEqual(['SUBMITTED', 'IN_REVIEW']);
    expect(rows.find((a) => a.action === 'task.complete')).toMatchObject({ role: 'caseworker' });
  });
});

describe('the application role', () => {
  let app: Knex;
  beforeAll(() => {
    app = createKnex(env().appDatabaseUrl, { min: 0, max: 1 });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('is not the owner, and may append to the audit log but not change, remove or re-chain it', async () => {
    expect((await app.raw('select current_user as u')).rows[0].u).toBe('doudi_app');
    const last = await stack.db('audit_log').orderBy('chain_seq', 'desc').first('id');
    for (const attempt of [
      () => app('audit_log').where({ id: last.id }).update({ reason: 'rewritten' }),
      () => app('audit_log').where({ id: last.id }).del(),
      () => app.raw('truncate audit_log'),
      () => app('audit_chain_head').update({ last_hash: 'f'.repeat(64) }),
    ])
      await expect(attempt()).rejects.toThrow(/permission denied/);

    // A row it appends is chained by the trigger, whatever hashes it claims.
    await app('audit_log').insert({
      actor: 'x',
      role: 'admin',
      action: 'test.append',
      prev_hash: 'f'.repeat(64),
      row_hash: 'f'.repeat(64),
      chain_seq: 1,
    });
    const [a, b] = await stack.db('audit_log').orderBy('chain_seq', 'desc').limit(2);
    expect(a.action).toBe('test.append');
    expect(a.prev_hash).toBe(b.row_hash);
    expect(Number(a.chain_seq)).toBe(Number(b.chain_seq) + 1);
  });
});

/** A database of its own, migrated, for tests that need to know every row of the audit log. */
async function withScratchDatabase(suffix: string, use: (db: Knex) => Promise<void>): Promise<void> {
  const name = `doudi_audit_${suffix}_${process.pid}`;
  const admin = databaseUrlFor(env().databaseUrl, 'postgres');
  await dropDatabase(admin, name);
  await ensureDatabase(admin, name);
  const db = createKnex(databaseUrlFor(env().databaseUrl, name), { min: 0, max: 2 });
  try {
    await migrateLatest(db);
    await use(db);
  } finally {
    await db.destroy();
    await dropDatabase(admin, name);
  }
}

describe('npm run audit:verify', () => {
  it('finds the log whole, names the row an owner edited, and is whole again once it is restored', async () => {
    const url = env().databaseUrl;
    const whole = await auditVerify(url);
    expect(whole.out).toMatch(/audit log whole: \d+ rows/);
    expect(whole.status).toBe(0);

    const victim = await stack.db('audit_log').where({ action: 'case.extend' }).first('id', 'reason');
    await stack.db('audit_log').where({ id: victim.id }).update({ reason: '无' });
    try {
      const broken = await auditVerify(url);
      expect(broken.status).toBe(1);
      expect(broken.out).toContain(`audit_log.id ${victim.id}`);
      expect(broken.out).toContain('CONTENT_CHANGED');
    } finally {
      await stack.db('audit_log').where({ id: victim.id }).update({ reason: victim.reason });
    }
    expect((await auditVerify(url)).status).toBe(0);
  });

  it('notices a row removed from the middle and rows removed from the end', async () => {
    await withScratchDatabase('gaps', async (db) => {
      for (const action of ['a', 'b', 'c', 'd']) await audit(db, { actor: 't', role: 'admin', action });
      expect((await verifyAuditChain(db)).broken).toBeUndefined();
      await db('audit_log').where({ action: 'b' }).del();
      expect((await verifyAuditChain(db)).broken).toMatchObject({ chainSeq: 3, problem: 'SEQUENCE_GAP' });
      // re-numbered to hide the gap: the hash it records for its predecessor gives it away
      await db('audit_log').where({ action: 'c' }).update({ chain_seq: 2 });
      await db('audit_log').where({ action: 'd' }).update({ chain_seq: 3 });
      expect((await verifyAuditChain(db)).broken).toMatchObject({ chainSeq: 2, problem: 'PREVIOUS_HASH_MISMATCH' });
      await db('audit_log').whereIn('action', ['c', 'd']).del();
      expect((await verifyAuditChain(db)).broken).toMatchObject({ problem: 'HEAD_MISMATCH' });
    });
  });

  it('chains rows in commit order when transactions commit out of order, and a rollback leaves no gap', async () => {
    await withScratchDatabase('order', async (db) => {
      // Two connections: the first transaction audits first and commits last.
      const first = await db.transaction();
      const second = await db.transaction();
      try {
        await audit(first, { actor: 't', role: 'admin', action: 'first' });
        // Unchained until commit: the head is not held while the transaction goes on.
        expect(await first('audit_log').where({ action: 'first' }).first('chain_seq')).toEqual({ chain_seq: null });
        // Chaining at insert would hold the head for the first transaction's whole length: this would wait, then fail.
        await second.raw("set local lock_timeout = '3s'");
        await audit(second, { actor: 't', role: 'admin', action: 'second' });
        await second.commit();
        await first.commit();
      } finally {
        if (!first.isCompleted()) await first.rollback();
        if (!second.isCompleted()) await second.rollback();
      }
      const rolledBack = await db.transaction();
      await audit(rolledBack, { actor: 't', role: 'admin', action: 'rolled back' });
      await rolledBack.rollback();
      await audit(db, { actor: 't', role: 'admin', action: 'third' });
      const rows = await db('audit_log').orderBy('chain_seq').select('action', 'chain_seq');
      expect(rows).toEqual([
        { action: 'second', chain_seq: '1' },
        { action: 'first', chain_seq: '2' },
        { action: 'third', chain_seq: '3' },
      ]);
      expect(await verifyAuditChain(db)).toEqual({ rows: 3, headHash: expect.any(String) }); // nothing broken
    });
  });

  it('writes a keyed row once, also from two transactions at the same time, and the chain stays whole', async () => {
    await withScratchDatabase('once', async (db) => {
      const row = { key: 'transition-1/audit-0', actor: 't', role: 'system', action: 'case.status' };
      const a = await db.transaction();
      const b = await db.transaction();
      await auditOnce(a, row);
      const waiting = auditOnce(b, row); // waits for the first to commit, then does nothing
      await new Promise((r) => setTimeout(r, 200));
      await a.commit();
      await waiting;
      await b.commit();
      await auditOnce(db, row); // a retry after both committed
      await audit(db, { actor: 't', role: 'admin', action: 'after' });
      expect(await db('audit_log').orderBy('chain_seq').pluck('action')).toEqual(['case.status', 'after']);
      expect(await verifyAuditChain(db)).toEqual({ rows: 2, headHash: expect.any(String) }); // nothing broken
    });
  });
});
