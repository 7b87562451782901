// The production topology, really running (scripts/production/): PostgreSQL, the Temporal server on PostgreSQL, two
// worker processes and the API. Several applications go through the API; one worker is SIGKILLed while the
// investigation completions of every case are in flight; the other worker finishes all of it. Then every row a case
// should have is there exactly once — tasks, decisions, deadlines, notices and their delivery, recipients, audit,
// the month's payments — and the deadline read model agrees with the workflows. `npm run test:topology`.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { createKnex } from '../../data/db';
import { loadPayloadKeys, payloadDataConverter } from '../../engine/payload-codec';
import { TOPOLOGY_ENV_FILE, type TopologyEnv } from './global-setup';
import { reconcileDeadlines } from '../../scripts/lib/reconcile';
import { monthAfter } from '../../domain/dates';
import { api, applicationBody, byId, expectedRows, STEPS, today, type Outcome } from './cases';

jest.setTimeout(10 * 60_000); // an activity lost with the killed worker is retried after its 1-minute timeout

const OUTCOMES: Outcome[] = [
  'APPROVED',
  'APPROVED',
  'REFUSED',
  'APPROVED',
  'REFUSED',
  'APPROVED',
  'APPROVED',
  'REFUSED',
];
let t: TopologyEnv;
let db: Knex;
let connection: Connection;
let client: Client;
const t0 = Date.now();
const lap = (what: string) => console.log(`[topology test] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);

beforeAll(async () => {
  t = JSON.parse(readFileSync(TOPOLOGY_ENV_FILE, 'utf8')) as TopologyEnv;
  const built = t.buildMs ? `, built in ${(t.buildMs / 1000).toFixed(0)} s` : '';
  lap(`topology up in ${(t.startMs / 1000).toFixed(1)} s (Temporal ${t.serverVersion} on PostgreSQL${built})`);
  db = createKnex(t.databaseUrl);
  connection = await Connection.connect({ address: t.temporalAddress });
  // The topology's api and workers encrypt payloads with the key in their DOUDI_DATA_DIR (engine/payload-codec.ts).
  const dataConverter = payloadDataConverter(loadPayloadKeys({ ...process.env, DOUDI_DATA_DIR: t.dataDir }));
  client = new Client({ connection, namespace: t.namespace, dataConverter });
});
afterAll(async () => {
  await connection?.close();
  await db?.destroy();
});

/** SIGKILL by pid (the process belongs to the topology of global-setup.ts), then wait until it is gone. */
async function sigkill(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('a worker SIGKILLed mid-case: the other finishes every case, nothing lost or doubled', async () => {
  const call = api(t);
  const step = async (caseId: string, type: string, outcome: Outcome) => {
    const s = STEPS[type];
    const r = await call('POST', `/tasks/${encodeURIComponent(`${caseId}:${type}:1`)}/complete`, s.role, {
      outcome: s.outcome(outcome),
      data: s.data(outcome),
    });
    if (r.status !== 200) throw new Error(`${type} of ${caseId}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };

  const cases = await Promise.all(
    OUTCOMES.map(async (outcome) => {
      const r = await call('POST', '/applications', 'caseworker', applicationBody());
      expect(r.status).toBe(201);
      return { caseId: r.body.caseId as string, outcome };
    }),
  );
  await Promise.all(cases.map((c) => step(c.caseId, 'accept', c.outcome)));
  lap(`${cases.length} cases submitted and accepted`);

  // Both investigation completions of every case at once; worker-1 dies while they are being processed.
  const [victim, survivor] = t.workers;
  const investigations = cases.flatMap((c) =>
    ['homeVisit', 'economicCheck'].map(async (type) => step(c.caseId, type, c.outcome)),
  );
  await new Promise((r) => setTimeout(r, 150));
  await sigkill(victim.pid);
  lap(`killed ${victim.name} (pid ${victim.pid}) with SIGKILL`);
  const answered = await Promise.all(investigations);
  lap(`every investigation answered by ${survivor.name} (slowest ${Math.max(...answered.map((a) => a.ms))} ms)`);

  for (const type of ['firstReview', 'confirm'] as const)
    await Promise.all(cases.map((c) => step(c.caseId, type, c.outcome)));
  await Promise.all(
    cases.filter((c) => c.outcome === 'REFUSED').map((c) => step(c.caseId, 'refusalNotice', c.outcome)),
  );
  lap('every case decided; refusal notices issued');

  // Every application workflow has closed, and some of them were handed from the killed worker to the survivor.
  const victimIdentity = `${victim.pid}@${hostname()}`;
  let handedOver = 0;
  for (const c of cases) {
    const handle = client.workflow.getHandle(`application-${c.caseId}`);
    await handle.result();
    const identities = ((await handle.fetchHistory()).events ?? []).flatMap(
      (e) => e.workflowTaskStartedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity ?? [],
    );
    const firstOther = identities.findIndex(
      (id, i) => id !== victimIdentity && identities.slice(0, i).includes(victimIdentity),
    );
    if (firstOther >= 0) handedOver++;
  }
  lap(`${handedOver} of ${cases.length} cases were started on ${victim.name} and finished on ${survivor.name}`);
  expect(handedOver).toBeGreaterThan(0);

  // The rows, case by case, by id.
  const ids = cases.map((c) => c.caseId);
  for (const c of cases) {
    const want = expectedRows(c.caseId, c.outcome);
    expect((await db('tasks').where({ case_id: c.caseId }).select('id', 'status', 'outcome')).sort(byId)).toEqual(
      want.tasks,
    );
    expect((await db('deadlines').where({ case_id: c.caseId }).select('id', 'status')).sort(byId)).toEqual(
      want.deadlines,
    );
    expect(await db('decisions').where({ case_id: c.caseId }).select('id', 'outcome')).toEqual(want.decisions);
    expect(await db('notices').where({ case_id: c.caseId }).select('id', 'status')).toEqual(want.notices);
    expect(await db('audit_log').where({ case_id: c.caseId, action: 'task.complete' }).count('* as n')).toEqual([
      { n: String(want.taskCompletionsAudited) },
    ]);
  }
  // A notice's delivery is one outbox row, sent (its journal line may repeat after a crash; readers dedupe on id).
  const refused = cases.filter((c) => c.outcome === 'REFUSED');
  expect(
    (
      await db('notifications')
        .whereIn(
          'case_id',
          refused.map((c) => c.caseId),
        )
        .where('id', 'like', '%:delivery')
        .select('id')
    )
      .map((r) => r.id)
      .sort(),
  ).toEqual(refused.map((c) => `${c.caseId}:REFUSAL:1:delivery`).sort());
  await eventually(async () =>
    expect(await db('notifications').whereIn('case_id', ids).whereNot('status', 'SENT').count('* as n')).toEqual([
      { n: '0' },
    ]),
  );

  // One recipient per approval, its own process running on the survivor.
  const approved = cases.filter((c) => c.outcome === 'APPROVED');
  const recipients = await db('recipients').whereIn('case_id', ids).select('id', 'case_id');
  expect(recipients.map((r) => r.case_id).sort()).toEqual(approved.map((c) => c.caseId).sort());
  for (const r of recipients)
    expect((await client.workflow.getHandle(`recipient-${r.id}`).describe()).status.name).toBe('RUNNING');

  // The first month they are paid for: one line each, and a rerun of the roster adds none.
  const month = monthAfter(today);
  const run = await call('POST', '/payments/roster-runs', 'county_officer', { month });
  expect(run.status).toBe(200);
  const again = await call('POST', '/payments/roster-runs', 'county_officer', { month });
  expect(again.body.inserted).toBe(0);
  expect((await db('payments').whereIn('case_id', ids).select('id')).map((p) => p.id).sort()).toEqual(
    recipients.map((r) => `monthly:${r.id}:${month}`).sort(),
  );
  expect(
    (
      await db('payments')
        .whereIn(
          'recipient_id',
          recipients.map((r) => r.id),
        )
        .select('id')
    ).length,
  ).toBe(recipients.length);

  // The deadline rows agree with the timers the workflows hold.
  const report = await reconcileDeadlines(db, client, { caseIds: [...ids, ...recipients.map((r) => r.id)] });
  expect(report.differences).toEqual([]);
  lap('all rows checked');
});

async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
