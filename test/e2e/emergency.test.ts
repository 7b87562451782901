// Emergency assistance through real HTTP, a real Temporal dev server and a real PostgreSQL.
import { startStack, Stack } from '../support/stack';
import { checkCharacter } from '../../domain/idNumber';

jest.setTimeout(60_000);

let stack: Stack;
let caseworker: string;
let reviewer: string;
let supervisor: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker', '410721100', 'cw-emergency');
  reviewer = stack.token('reviewer', '410721100', 'rv-emergency');
  supervisor = stack.token('supervisor', '410721100');
});
afterAll(async () => {
  await stack?.stop();
});

let seq = 100;
/** A valid ID number registered far from Xinxiang (Beijing, Chaoyang): no hukou restriction applies. */
function beijingIdNumber(): string {
  const first17 = `110105${'19880412'}${String(seq++).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

const report = (over: Record<string, unknown> = {}) => ({
  regionCode: '410721100',
  person: { name: '李建国', idNumber: beijingIdNumber() },
  residence: 'RURAL',
  hardship: 'ACCIDENT',
  description: 'traffic accident while working in the township; hospitalised',
  requestedAmount: 400,
  ...over,
});

async function counts() {
  const [cases, payments, members, emergencies] = await Promise.all(
    ['cases', 'payments', 'members', 'emergencies'].map((t) => stack.db(t).count({ n: '*' }).first()),
  );
  return {
    cases: Number(cases!.n),
    payments: Number(payments!.n),
    members: Number(members!.n),
    emergencies: Number(emergencies!.n),
  };
}

describe('POST /emergencies', () => {
  it(
    'pays the advance at once: a payment row, the justification task open, the 3-day limit met; a replay ' +
      'answers the same',
    async () => {
      const body = report();
      const r = await stack.call('POST', '/api/v1/emergencies', {
        token: caseworker,
        body,
        headers: { 'Idempotency-Key': 'emergency-e2e-1' },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        status: 'ADVANCE_PAID',
        cap: 420,
        payment: { kind: 'EMERGENCY_ADVANCE', amount: 400 },
        justificationTask: { id: `${r.body.caseId}:justification:1` },
      });
      const payments = await stack.db('payments').where({ case_id: r.body.caseId });
      expect(payments).toEqual([
        expect.objectContaining({
          id: `emergency:${r.body.caseId}:advance`,
          kind: 'EMERGENCY_ADVANCE',
          amount: 400,
          region_code: '410721100',
        }),
      ]);
      const deadlines = (await stack.call('GET', `/api/v1/deadlines?caseId=${r.body.caseId}`, { token: supervisor }))
        .body.items;
      expect(deadlines.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`).sort()).toEqual([
        'emergencyHandling:met',
        'justification:pending',
      ]);
      expect(deadlines.find((d: { kind: string }) => d.kind === 'emergencyHandling')).toMatchObject({
        calendarDays: 3,
        workingDays: null,
      });

      const before = await counts();
      const again = await stack.call('POST', '/api/v1/emergencies', {
        token: caseworker,
        body,
        headers: { 'Idempotency-Key': 'emergency-e2e-1' },
      });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(r.body);
      expect(await counts()).toEqual(before);
      const reused = await stack.call('POST', '/api/v1/emergencies', {
        token: caseworker,
        body: { ...body, requestedAmount: 300 },
        headers: { 'Idempotency-Key': 'emergency-e2e-1' },
      });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses an advance over the cap with the cap and the other paths, and changes nothing', async () => {
    const before = await counts();
    const r = await stack.call('POST', '/api/v1/emergencies', {
      token: caseworker,
      body: report({ requestedAmount: 420.01 }),
      headers: { 'Idempotency-Key': 'emergency-e2e-over' },
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({
      code: 'ADVANCE_OVER_CAP',
      details: { cap: 420, requestedAmount: 420.01, residence: 'RURAL', policyVersionId: '410721-2025-01' },
    });
    expect(r.body.error.message).toMatch(/applications/);
    expect(r.body.error.message).toMatch(/case conference/);
    expect(await counts()).toEqual(before);
    // Urban residents have the urban cap.
    const urban = await stack.call('POST', '/api/v1/emergencies', {
      token: caseworker,
      body: report({ residence: 'URBAN', requestedAmount: 630.01 }),
    });
    expect(urban.body.error.details.cap).toBe(630);
  });

  it('is for the township where the emergency happened only', async () => {
    const other = stack.token('caseworker', '410721101');
    const r = await stack.call('POST', '/api/v1/emergencies', { token: other, body: report() });
    expect(r.status).toBe(403);
  });
});

describe('justification through the API', () => {
  it(
    'stores the evidence, checks the amount, and starts staged assistance; every payment lands in the ' +
      'assistance chain',
    async () => {
      const created = await stack.call('POST', '/api/v1/emergencies', {
        token: caseworker,
        body: report({ requestedAmount: 350, hardship: 'ILLNESS' }),
      });
      expect(created.status).toBe(201);
      const caseId = created.body.caseId;
      const evidence = [
        {
          fileName: '住院发票.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from('%PDF-1.4 hospital invoice').toString('base64'),
        },
      ];

      const wrong = await stack.call('POST', `/api/v1/emergencies/${caseId}/justification`, {
        token: caseworker,
        body: { outcome: 'NO_FURTHER_HELP', facts: 'admitted 2 days', amountPaid: 400, evidence },
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error.code).toBe('INVALID_COMPLETION');
      expect(await stack.db('emergency_attachments').where({ case_id: caseId })).toEqual([]);

      const ok = await stack.call('POST', `/api/v1/emergencies/${caseId}/justification`, {
        token: caseworker,
        body: {
          outcome: 'STAGED_ASSISTANCE',
          facts: 'long treatment expected',
          amountPaid: 350,
          evidence,
          stages: [{ amount: 200 }, { amount: 100 }],
        },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        status: 'IN_STAGES',
        activeSteps: ['stagedAssistance'],
        openTasks: [{ taskId: `${caseId}:stagedAssistance:1` }],
      });

      const review = await stack.call(
        'POST',
        `/api/v1/tasks/${encodeURIComponent(`${caseId}:stagedAssistance:1`)}/complete`,
        { token: reviewer, body: { outcome: 'CONTINUE', data: {} } },
      );
      expect(review.status).toBe(200);
      expect(review.body.activeSteps).toEqual(['nextStage']);

      const detail = await stack.call('GET', `/api/v1/emergencies/${caseId}`, { token: caseworker });
      expect(detail.body).toMatchObject({
        status: 'IN_STAGES',
        justificationOutcome: 'STAGED_ASSISTANCE',
        plan: { status: 'ACTIVE' },
      });
      expect(detail.body.attachments).toEqual([
        expect.objectContaining({ fileName: '住院发票.pdf', sizeBytes: 25, taskId: `${caseId}:justification:1` }),
      ]);
      const file = await fetch(
        `${stack.baseUrl}/api/v1/emergencies/${caseId}/attachments/${detail.body.attachments[0].id}`,
        { headers: { authorization: `Bearer ${caseworker}` } },
      );
      expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4 hospital invoice');
      expect(detail.body.deadlines.find((d: { kind: string }) => d.kind === 'justification')).toMatchObject({
        status: 'met',
        metLate: false,
      });

      const chain = await stack.call('GET', `/api/v1/households/${detail.body.householdId}/assistance-chain`, {
        token: supervisor,
      });
      expect(chain.status).toBe(200);
      expect(chain.body.payments.map((p: { kind: string; amount: number }) => `${p.kind}:${p.amount}`)).toEqual([
        'EMERGENCY_ADVANCE:350',
        'STAGE:200',
      ]);
      expect(chain.body.totals).toMatchObject({ total: 550, byKind: { EMERGENCY_ADVANCE: 350, STAGE: 200 } });
      expect(chain.body.plans[0].stages.map((s: { status: string }) => s.status)).toEqual(['PAID', 'PLANNED']);
      const elsewhere = await stack.call('GET', `/api/v1/households/${detail.body.householdId}/assistance-chain`, {
        token: stack.token('supervisor', '410721101'),
      });
      expect(elsewhere.status).toBe(404);

      const list = await stack.call('GET', '/api/v1/emergencies', { token: supervisor });
      const mine = list.body.items.find((i: { caseId: string }) => i.caseId === caseId);
      expect(mine).toMatchObject({ status: 'IN_STAGES', hardship: 'ILLNESS', requestedAmount: 350 });
      expect(mine.personName).not.toBe('李建国'); // masked for supervisors
    },
  );
});
