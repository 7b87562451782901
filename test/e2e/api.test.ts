// The API's contract at its edges: authentication, region scoping, malformed input, idempotency, calendar, docs.
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication, idNumber } from '../support/fixtures';

jest.setTimeout(60_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const countCases = async () => Number((await stack.db('cases').count({ n: '*' }))[0].n);

describe('authentication', () => {
  it('answers 401 without a token, with a bad signature, or with claims out of shape', async () => {
    expect((await stack.call('GET', '/api/v1/cases')).status).toBe(401);
    const forged = stack.token('caseworker').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const r = await stack.call('GET', '/api/v1/cases', { token: forged });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
        messageZh: '登录已过期，请重新登录',
        details: null,
      },
    });
  });

  it('serves health, readiness, OpenAPI and the BPMN diagram', async () => {
    expect((await stack.call('GET', '/healthz')).status).toBe(200);
    const ready = (await stack.call('GET', '/readyz')).body;
    expect(ready).toMatchObject({ status: 'ready', database: true, temporal: true });
    const doc = (await stack.call('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/applications',
        '/tasks/{id}/complete',
        '/deadlines',
        '/calendar/working-days/add',
        '/notices/{id}/pdf',
      ]),
    );
    const bpmn = await stack.call('GET', '/api/v1/processes/application/bpmn', {
      token: stack.token('supervisor', '410721'),
    });
    expect(bpmn.headers.get('content-type')).toContain('application/xml');
    expect(bpmn.body).toContain('id="refusalNotice"');
    expect(
      (await stack.call('GET', '/api/v1/processes/nope/bpmn', { token: stack.token('supervisor', '410721') })).status,
    ).toBe(404);
  });
});

describe('region scoping', () => {
  it('keeps a caseworker inside its township and lets the county supervisor read everything', async () => {
    const here = stack.token('caseworker', '410721100');
    const elsewhere = stack.token('caseworker', '410721101');
    const before = await countCases();
    const denied = await stack.call('POST', '/api/v1/applications', {
      token: elsewhere,
      body: singlePersonApplication(),
    });
    expect(denied.status).toBe(403);
    expect(await countCases()).toBe(before);

    const { caseId } = (
      await stack.call('POST', '/api/v1/applications', { token: here, body: singlePersonApplication() })
    ).body;
    expect((await stack.call('GET', `/api/v1/cases/${caseId}`, { token: elsewhere })).status).toBe(404);
    expect((await stack.call('GET', '/api/v1/tasks?region=410721100', { token: elsewhere })).status).toBe(403);
    expect((await stack.call('GET', '/api/v1/deadlines?region=410721', { token: elsewhere })).status).toBe(403);
    const task = `${caseId}:accept:1`;
    for (let i = 0; i < 50 && !(await stack.db('tasks').where({ id: task }).first()); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(
      (await stack.call('POST', `/api/v1/tasks/${task}/complete`, { token: elsewhere, body: { outcome: 'ACCEPTED' } }))
        .status,
    ).toBe(404); // another township's task looks absent, as its case does (docs/access.md)
    expect(
      (await stack.call('GET', '/api/v1/tasks', { token: elsewhere })).body.items.map(
        (t: { caseId: string }) => t.caseId,
      ),
    ).not.toContain(caseId);

    const supervisor = stack.token('supervisor', '410721');
    expect((await stack.call('GET', `/api/v1/cases/${caseId}`, { token: supervisor })).status).toBe(200);
    // Supervisors read, they do not decide.
    expect(
      (await stack.call('POST', `/api/v1/tasks/${task}/complete`, { token: supervisor, body: { outcome: 'ACCEPTED' } }))
        .status,
    ).toBe(403);
    const masked = (await stack.call('GET', `/api/v1/cases/${caseId}`, { token: supervisor })).body.household.members[0]
      .idNumber;
    expect(masked).toMatch(/^410721\*{8}\d{3}[\dX]$/);
  });
});

describe('malformed input changes nothing', () => {
  const cw = () => stack.token('caseworker', '410721100');

  it.each([
    ['not JSON', '{"regionCode":', 400, 'BAD_REQUEST'],
    ['a missing household', { regionCode: '410721100', people: [] }, 400, 'BAD_REQUEST'],
    ['a county code instead of a township', { ...singlePersonApplication(), regionCode: '410721' }, 400, 'BAD_REQUEST'],
    ['an unknown township', { ...singlePersonApplication({ regionCode: '410721999' }) }, 422, 'UNKNOWN_REGION'],
    ['an unknown field', { ...singlePersonApplication(), extra: 1 }, 400, 'BAD_REQUEST'],
  ])('refuses %s', async (_what, body, status, code) => {
    const before = await countCases();
    const token =
      (body as { regionCode?: string }).regionCode === '410721999' ? stack.token('caseworker', '410721') : cw();
    const r = await stack.call('POST', '/api/v1/applications', { token, body });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(await countCases()).toBe(before);
  });

  it('names each wrong ID number precisely', async () => {
    const body = singlePersonApplication();
    const good = body.people[0].idNumber;
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const r = await stack.call('POST', '/api/v1/applications', {
      token: cw(),
      body: { ...body, people: [{ ...body.people[0], idNumber: wrongCheck }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({
      code: 'INVALID_PEOPLE',
      details: [{ path: 'people.0.idNumber', message: expect.stringMatching(/check character/) }],
    });
    expect(JSON.stringify(r.body)).not.toContain(wrongCheck); // the number is not echoed back
    const otherBirth = idNumber('1980-01-01');
    const r2 = await stack.call('POST', '/api/v1/applications', {
      token: cw(),
      body: { ...body, people: [{ ...body.people[0], idNumber: otherBirth }] },
    });
    expect(r2.body.error.details[0].message).toMatch(/birth date/);
  });

  it('rejects bad query parameters with 400', async () => {
    const sup = stack.token('supervisor', '410721');
    expect((await stack.call('GET', '/api/v1/deadlines?status=late', { token: sup })).status).toBe(400);
    expect(
      (await stack.call('GET', '/api/v1/calendar/working-days/add?from=2026-02-30&days=3', { token: sup })).status,
    ).toBe(400);
    expect((await stack.call('GET', '/api/v1/cases/not-a-uuid', { token: sup })).status).toBe(400);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first answer to a retried POST and creates one case', async () => {
    const token = stack.token('caseworker', '410721100');
    const body = singlePersonApplication();
    const key = `key-${Date.now()}`;
    const before = await countCases();
    const first = await stack.call('POST', '/api/v1/applications', {
      token,
      body,
      headers: { 'Idempotency-Key': key },
    });
    const second = await stack.call('POST', '/api/v1/applications', {
      token,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(await countCases()).toBe(before + 1);
    const reused = await stack.call('POST', '/api/v1/applications', {
      token,
      body: { ...body, address: 'x' },
      headers: { 'Idempotency-Key': key },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('working-day calendar', () => {
  it(
    'computes due dates, refuses non-admins and bad schedules, and recomputes provisional deadlines when a ' +
      'year is loaded',
    async () => {
      const cw = stack.token('caseworker', '410721100');
      expect(
        (await stack.call('GET', '/api/v1/calendar/working-days/add?from=2026-09-30&days=3', { token: cw })).body,
      ).toMatchObject({ due: '2026-10-10', provisional: false });
      expect(
        (await stack.call('GET', '/api/v1/calendar/working-days/add?from=2026-12-28&days=10', { token: cw })).body
          .provisional,
      ).toBe(true);

      // A case accepted on 2026-12-01: its 30-working-day limit reaches into 2027, which is not loaded yet.
      const { caseId } = (
        await stack.call('POST', '/api/v1/applications', {
          token: cw,
          body: singlePersonApplication({ receivedOn: '2026-11-30' }),
        })
      ).body;
      for (
        let i = 0;
        i < 50 &&
        !(await stack
          .db('tasks')
          .where({ id: `${caseId}:accept:1` })
          .first());
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      await stack.call('POST', `/api/v1/tasks/${caseId}:accept:1/complete`, {
        token: cw,
        body: { outcome: 'ACCEPTED', data: { effectiveOn: '2026-11-30' } },
      });
      const whole = async () => await stack.db('deadlines').where({ case_id: caseId, kind: 'wholeCase' }).first();
      expect(await whole()).toMatchObject({ provisional: true });
      const provisionalDue = (await whole()).due_on;

      // A made-up schedule for the test.
      const year2027 = { holidays: ['2027-01-01', '2027-01-11'], makeupWorkdays: [] };
      expect((await stack.call('PUT', '/api/v1/calendar/years/2027', { token: cw, body: year2027 })).status).toBe(403);
      const admin = stack.token('admin', '410721');
      const bad = await stack.call('PUT', '/api/v1/calendar/years/2027', {
        token: admin,
        body: { holidays: ['2028-01-01'], makeupWorkdays: [] },
      });
      expect(bad.status).toBe(422);
      const ok = await stack.call('PUT', '/api/v1/calendar/years/2027', { token: admin, body: year2027 });
      expect(ok.status).toBe(200);
      expect(ok.body.recomputedCases).toBeGreaterThanOrEqual(1);
      let row = await whole();
      for (let i = 0; i < 50 && row.provisional; i++) {
        await new Promise((r) => setTimeout(r, 100));
        row = await whole();
      }
      expect(row.provisional).toBe(false);
      expect(row.due_on > provisionalDue).toBe(true); // the two 2027 holidays push it later
      await stack.db('calendar_days').where({ year: 2027 }).delete();
      await stack.db('calendar_years').where({ year: 2027 }).delete();
    },
  );
});

describe('assessment dry run and policy versions', () => {
  it('assesses a household without creating a case and explains every criterion', async () => {
    const before = await countCases();
    const r = await stack.call('POST', '/api/v1/assessments', {
      token: stack.token('reviewer', '410721100'),
      body: { regionCode: '410721100', asOf: '2026-06-01', household: singlePersonApplication().household },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      category: 'DIBAO',
      monthlyAmount: 220,
      policyVersionId: '410721-2025-01',
      sampleParameters: true,
    });
    expect(r.body.criteria.length).toBeGreaterThan(3);
    expect(await countCases()).toBe(before);
  });

  it('adds a version as admin and refuses to replace one in force', async () => {
    const admin = stack.token('admin', '410721');
    const list = (await stack.call('GET', '/api/v1/policy-versions', { token: admin })).body.items;
    const current = list.find((v: { id: string }) => v.id === '410721-2025-01');
    expect(
      (
        await stack.call('POST', '/api/v1/policy-versions', {
          token: stack.token('reviewer', '410721100'),
          body: { regionCode: '410721', effectiveFrom: '2027-01-01', parameters: current.parameters },
        })
      ).status,
    ).toBe(403);
    const clash = await stack.call('POST', '/api/v1/policy-versions', {
      token: admin,
      body: { regionCode: '410721', effectiveFrom: '2025-01-01', parameters: current.parameters },
    });
    expect(clash.status).toBe(409);
    const added = await stack.call('POST', '/api/v1/policy-versions', {
      token: admin,
      body: {
        regionCode: '410721',
        effectiveFrom: '2027-01-01',
        parameters: { ...current.parameters, dibaoStandardRural: 450 },
      },
    });
    expect(added.status).toBe(201);
    const assessed = await stack.call('POST', '/api/v1/assessments', {
      token: admin,
      body: { regionCode: '410721100', asOf: '2027-02-01', household: singlePersonApplication().household },
    });
    expect(assessed.body).toMatchObject({ monthlyAmount: 250, policyVersionId: '410721-2027-01-01' });
    await stack.db('policy_versions').where({ id: '410721-2027-01-01' }).delete();
  });
});
