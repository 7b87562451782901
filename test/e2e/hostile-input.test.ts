// Hostile and careless input (issue 13 items 1–2) through real HTTP, a real Temporal dev server and a real PostgreSQL:
// every input here is refused with its 4xx and the standard error shape, and changes nothing; parallel requests that
// race for one key or one task end with exactly one winner.
import { startStack, Stack } from '../support/stack';
import { idNumber, singlePersonApplication } from '../support/fixtures';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { requestHash } from '../../api/http/idempotency';

jest.setTimeout(90_000);

let stack: Stack;
let caseworker: string;
let reviewer: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker', '410721100', 'cw-hostile');
  reviewer = stack.token('reviewer', '410721100', 'rv-hostile');
});
afterAll(async () => {
  await stack?.stop();
});

const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);
const NUL = '\u0000';

/** Rows that any accepted input would add to: a refusal must leave every count as it was. */
async function counts() {
  const tables = ['cases', 'audit_log', 'people', 'tasks', 'idempotency_keys', 'emergencies', 'payments'];
  const rows = await Promise.all(tables.map((t) => stack.db(t).count({ n: '*' }).first()));
  return Object.fromEntries(tables.map((t, i) => [t, Number(rows[i]!.n)]));
}

/** The standard error shape with a Chinese message beside the code. */
function expectError(r: { status: number; body: any }, status: number | number[], code?: string) {
  expect([status].flat()).toContain(r.status);
  expect(r.body).toEqual({
    error: {
      code: code ?? expect.any(String),
      message: expect.any(String),
      messageZh: expect.stringMatching(/[\u4e00-\u9fff]/),
      details: r.body?.error?.details === null ? null : expect.anything(),
    },
  });
}

async function submit(body: unknown = singlePersonApplication({ receivedOn: daysAgo(10) })): Promise<string> {
  const r = await stack.call('POST', '/api/v1/applications', { token: caseworker, body });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

const complete = (taskId: string, token: string, body: unknown) =>
  stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token, body });

/** A case past acceptance: its homeVisit and economicCheck tasks are open. */
async function inInvestigation(): Promise<string> {
  const caseId = await submit();
  expect((await complete(`${caseId}:accept:1`, caseworker, { outcome: 'ACCEPTED', data: {} })).status).toBe(200);
  return caseId;
}

const emergencyReport = (over: Record<string, unknown> = {}) => ({
  regionCode: '410721100',
  person: { name: '李建国', idNumber: idNumber('1988-04-12') },
  residence: 'RURAL',
  hardship: 'ACCIDENT',
  description: 'traffic accident while working in the township; hospitalised',
  requestedAmount: 300,
  ...over,
});

async function emergencyCase(): Promise<string> {
  const r = await stack.call('POST', '/api/v1/emergencies', { token: caseworker, body: emergencyReport() });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

/** Ten POSTs at once with one Idempotency-Key; `body(i)` is the body of the i-th. */
const tenAtOnce = (path: string, key: string, body: (i: number) => unknown) =>
  Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      stack.call('POST', path, { token: caseworker, body: body(i), headers: { 'Idempotency-Key': key } }),
    ),
  );

/** The answer stored under the key. */
const storedAnswer = async (key: string) =>
  (await stack.db('idempotency_keys').where({ actor: 'cw-hostile', key }).first()).response;

describe('item 1: no input wedges a case', () => {
  it('refuses an impossible date on economicCheck at once (400/422): the task stays open, not wedged', async () => {
    const caseId = await inInvestigation();
    const before = await counts();
    const started = Date.now();
    const r = await complete(`${caseId}:economicCheck:1`, caseworker, {
      outcome: 'DONE',
      data: { effectiveOn: '2026-11-31' },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expectError(r, [400, 422]);
    expect(await counts()).toEqual(before);
    const task = await stack
      .db('tasks')
      .where({ id: `${caseId}:economicCheck:1` })
      .first('status');
    expect(task.status).toBe('OPEN');
    // Not wedged: the same step with a real date goes through.
    const ok = await complete(`${caseId}:economicCheck:1`, caseworker, { outcome: 'DONE', data: {} });
    expect(ok.status).toBe(200);
  });

  it('refuses a household member born after the act recording it (422): the assessment cannot age them', async () => {
    const caseId = await inInvestigation();
    const before = await counts();
    const household = singlePersonApplication().household;
    household.members[0].birthDate = addCalendarDays(today, 1);
    const r = await complete(`${caseId}:economicCheck:1`, caseworker, { outcome: 'DONE', data: { household } });
    expectError(r, 422, 'INVALID_COMPLETION');
    household.members[0].birthDate = daysAgo(1);
    const backdated = await complete(`${caseId}:economicCheck:1`, caseworker, {
      outcome: 'DONE',
      data: { household, effectiveOn: daysAgo(2) },
    });
    expectError(backdated, 422, 'INVALID_COMPLETION');
    // A newborn applying with a receivedOn before the birth.
    const newborn = singlePersonApplication({ receivedOn: daysAgo(10) });
    newborn.household.members[0].birthDate = daysAgo(5);
    newborn.people[0].idNumber = idNumber(daysAgo(5), 'F');
    expectError(
      await stack.call('POST', '/api/v1/applications', { token: caseworker, body: newborn }),
      422,
      'INVALID_DATE',
    );
    expectError(
      await stack.call('POST', '/api/v1/assessments', {
        token: caseworker,
        body: { regionCode: '410721100', asOf: daysAgo(10), household: newborn.household },
      }),
      422,
      'INVALID_DATE',
    );
    expect(await counts()).toEqual(before);
    expect(
      (
        await stack
          .db('tasks')
          .where({ id: `${caseId}:economicCheck:1` })
          .first('status')
      ).status,
    ).toBe('OPEN');
  });

  it('refuses a NUL byte in a task comment, in a finding, in an objection reason and in a name (400)', async () => {
    const caseId = await inInvestigation();
    const before = await counts();
    expectError(
      await complete(`${caseId}:homeVisit:1`, caseworker, { outcome: 'DONE', data: {}, comment: `ok${NUL}` }),
      400,
    );
    expectError(
      await complete(`${caseId}:homeVisit:1`, caseworker, { outcome: 'DONE', data: { findings: `a${NUL}b` } }),
      [400, 422],
    );
    expectError(
      await stack.call('POST', `/api/v1/cases/${caseId}/objections`, {
        token: caseworker,
        body: { reason: `neighbour${NUL}says` },
      }),
      400,
    );
    const named = singlePersonApplication({ receivedOn: daysAgo(3) });
    named.people[0].name = `王${NUL}秀英`;
    expectError(await stack.call('POST', '/api/v1/applications', { token: caseworker, body: named }), 400);
    // In a key of a free-form record and in a path parameter too.
    expectError(
      await complete(`${caseId}:homeVisit:1`, caseworker, { outcome: 'DONE', data: { [`x${NUL}`]: 1 } }),
      400,
    );
    expectError(await stack.call('GET', '/api/v1/tasks/a%00b', { token: caseworker }), 400);
    expect(await counts()).toEqual(before);
    expect(
      (
        await stack
          .db('tasks')
          .where({ id: `${caseId}:homeVisit:1` })
          .first('status')
      ).status,
    ).toBe('OPEN');
  });

  it('refuses receivedOn 0000-01-01 and other dates outside 1900–2100 (400), and a birth date of 1899', async () => {
    const before = await counts();
    for (const receivedOn of ['0000-01-01', '1899-12-31', '2026-02-29', '2026-13-01']) {
      const r = await stack.call('POST', '/api/v1/applications', {
        token: caseworker,
        body: { ...singlePersonApplication(), receivedOn },
      });
      expectError(r, 400);
      expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'receivedOn' })]);
    }
    const old = singlePersonApplication();
    old.household.members[0].birthDate = '1899-06-15';
    expectError(await stack.call('POST', '/api/v1/applications', { token: caseworker, body: old }), 400);
    // Months and years too (the roster, the omission report).
    const officer = stack.token('county_officer', '410721');
    expectError(await stack.call('GET', '/api/v1/payments/roster.csv?month=0000-01', { token: officer }), 400);
    expectError(await stack.call('GET', '/api/v1/reports/omissions?year=0000', { token: officer }), 400);
    expect(await counts()).toEqual(before);
  });

  it('refuses a name of only spaces and a blank reason (400); keeps trimmed text trimmed', async () => {
    const before = await counts();
    const blank = singlePersonApplication();
    blank.people[0].name = '   ';
    const r = await stack.call('POST', '/api/v1/applications', { token: caseworker, body: blank });
    expectError(r, 400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'people.0.name' })]);
    expectError(
      await stack.call('POST', '/api/v1/emergencies', {
        token: caseworker,
        body: emergencyReport({ person: { name: ' \t ', idNumber: idNumber('1988-04-12') } }),
      }),
      400,
    );
    expect(await counts()).toEqual(before);
    const padded = singlePersonApplication({ receivedOn: daysAgo(2) });
    padded.people[0].name = '  王秀英 ';
    const caseId = await submit(padded);
    const detail = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: caseworker });
    expect(detail.body.household.members[0].name).toBe('王秀英');
  });
});

describe('item 2: no 500 for a client mistake', () => {
  it('answers an objection or an extension on a case without that step with 409, and changes nothing', async () => {
    const emergency = await emergencyCase();
    const before = await counts();
    const objection = await stack.call('POST', `/api/v1/cases/${emergency}/objections`, {
      token: caseworker,
      body: { reason: 'a neighbour objects' },
    });
    expectError(objection, 409);
    const extension = await stack.call('POST', `/api/v1/cases/${emergency}/extensions`, {
      token: reviewer,
      body: { reason: 'more time' },
    });
    expectError(extension, 409);
    // An application case not in publicity has the step but not now.
    const application = await submit();
    const after = await counts();
    const early = await stack.call('POST', `/api/v1/cases/${application}/objections`, {
      token: caseworker,
      body: { reason: 'a neighbour objects' },
    });
    expectError(early, 409);
    expect(await counts()).toEqual(after);
    expect(after.audit_log - before.audit_log).toBeGreaterThan(0); // the submission itself, not the refusals
  });

  it('answers ten parallel same-key POST /applications with one case: 201 and the stored answer (or 409)', async () => {
    const body = singlePersonApplication({ receivedOn: daysAgo(5) });
    const before = await counts();
    const answers = await tenAtOnce('/api/v1/applications', 'hostile-parallel-application', () => body);
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const a of created) expect(a.body).toEqual(created[0].body);
    for (const a of answers.filter((x) => x.status === 409)) expectError(a, 409, 'IDEMPOTENCY_IN_PROGRESS');
    const after = await counts();
    expect(after.cases - before.cases).toBe(1);
    expect(after.idempotency_keys - before.idempotency_keys).toBe(1);
    expect(await storedAnswer('hostile-parallel-application')).toEqual(created[0].body);
  });

  it('answers ten parallel same-key POST /emergencies with one advance paid', async () => {
    const body = emergencyReport();
    const before = await counts();
    const answers = await tenAtOnce('/api/v1/emergencies', 'hostile-parallel-emergency', () => body);
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const a of created) expect(a.body).toEqual(created[0].body);
    const after = await counts();
    expect(after.cases - before.cases).toBe(1);
    expect(after.payments - before.payments).toBe(1);
  });

  it('stores one of ten parallel same-key requests with different bodies and refuses the others with 422', async () => {
    const before = await counts();
    // A different person each time.
    const answers = await tenAtOnce('/api/v1/applications', 'hostile-parallel-different-bodies', () =>
      singlePersonApplication({ receivedOn: daysAgo(4) }),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectError(a, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect((await counts()).cases - before.cases).toBe(1);
    expect(await storedAnswer('hostile-parallel-different-bodies')).toEqual(created[0].body);
  });

  it('takes over the key of a request that died half-way (a reservation without answer, 2 minutes old)', async () => {
    const body = singlePersonApplication({ receivedOn: daysAgo(3) });
    await stack.db('idempotency_keys').insert({
      actor: 'cw-hostile',
      key: 'hostile-abandoned',
      route: 'POST /applications',
      request_hash: requestHash(body),
      created_at: new Date(Date.now() - 3 * 60_000),
    });
    const r = await stack.call('POST', '/api/v1/applications', {
      token: caseworker,
      body,
      headers: { 'Idempotency-Key': 'hostile-abandoned' },
    });
    expect(r.status).toBe(201);
    expect(await storedAnswer('hostile-abandoned')).toEqual(r.body);
  });

  it('answers a body in another charset with 415', async () => {
    const before = await counts();
    const r = await stack.call('POST', '/api/v1/applications', {
      token: caseworker,
      body: JSON.stringify(singlePersonApplication()),
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expectError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of ten parallel claims of a task win (200), the others 409, with one audit row', async () => {
    const caseId = await submit();
    const taskId = `${caseId}:accept:1`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/claim`, {
          token: stack.token('caseworker', '410721100', `cw-claim-${i}`),
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expectError(a, 409);
    const rows = await stack.db('audit_log').where({ entity: 'task', entity_id: taskId, action: 'task.claim' });
    expect(rows).toHaveLength(1);
    expect(rows[0].actor).toBe(won[0].body.assignee);
    expect(rows[0].before).toEqual({ assignee: null });
    const task = await stack.db('tasks').where({ id: taskId }).first('assignee');
    expect(task.assignee).toBe(won[0].body.assignee);
  });
});

describe('found by the fuzz suite (test/e2e/fuzz.test.ts)', () => {
  it('answers malformed percent-encoding in a path with 400', async () => {
    expectError(await stack.call('GET', '/api/v1/recipients/%ED%A0%80', { token: caseworker }), 400);
  });

  it('answers a department file the reader cannot read (an unclosed quote) with 400 and imports nothing', async () => {
    const batches = Number((await stack.db('assistance_batches').count({ n: '*' }).first())!.n);
    const r = await stack.call('POST', '/api/v1/assistance-reports/files?fileName=x.csv&department=COURT', {
      token: stack.token('integrator', '410721'),
      body: 'reference,idNumber,name,kind,period,grantedOn,amount\r\n"unclosed',
      headers: { 'content-type': 'text/csv' },
    });
    expectError(r, 400);
    expect(Number((await stack.db('assistance_batches').count({ n: '*' }).first())!.n)).toBe(batches);
  });
});

// Last in the file: the failure limit locks this process's address for the rest of the window.
describe('item 8: hardening', () => {
  it('sends security headers on every answer (nosniff, CSP, frame-ancestors, no X-Powered-By)', async () => {
    for (const r of [
      await stack.call('GET', '/healthz'),
      await stack.call('GET', '/api/v1/cases', { token: caseworker }),
      await stack.call('GET', '/api/v1/cases'),
    ]) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
      expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('serves an uploaded file as an attachment that the browser neither sniffs nor runs', async () => {
    const caseId = await emergencyCase();
    const page = '<script>alert(1)</script>';
    const up = await stack.call('POST', `/api/v1/emergencies/${caseId}/attachments`, {
      token: caseworker,
      body: { fileName: 'x.html', contentType: 'text/html', contentBase64: Buffer.from(page).toString('base64') },
    });
    expect(up.status).toBe(201);
    const r = await stack.call('GET', `/api/v1/emergencies/${caseId}/attachments/${up.body.attachmentId}`, {
      token: caseworker,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''x.html");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  });

  it('locks an address after 20 failed sign-ins (429, Retry-After); valid tokens from it keep working', async () => {
    const login = () =>
      stack.call('POST', '/api/v1/auth/login', { body: { username: 'nobody-hostile', password: 'wrong-password' } });
    for (let i = 0; i < 20; i++) expectError(await login(), 401, 'INVALID_CREDENTIALS');
    const locked = await login();
    expectError(locked, 429, 'TOO_MANY_REQUESTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(await stack.call('GET', '/api/v1/cases', { token: 'forged' }), 429, 'TOO_MANY_REQUESTS');
    expect((await stack.call('GET', '/api/v1/cases', { token: caseworker })).status).toBe(200);
  });
});
