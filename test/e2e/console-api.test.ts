// What the console needs from the API (issue 14): sign-in with stored users, user administration, Chinese error
// messages, inbox rows that say whom and where, task forms as JSON Schema, paged lists, the XLSX roster, OpenAPI.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { startStack, Stack } from '../support/stack';
import { resolvePeople, settleHousehold } from '../../data/people';
import { idNumber, singlePersonApplication } from '../support/fixtures';
import { createUser } from '../../data/users';
import { decodeCursor } from '../../api/http/paging';

jest.setTimeout(60_000);

let stack: Stack;
const PASSWORD = 'correct horse battery';
beforeAll(async () => {
  stack = await startStack();
  await stack.db('users').whereIn('username', ['t-cw', 't-admin', 't-sv', 't-new']).del();
  await createUser(stack.db, {
    username: 't-cw',
    name: '测试经办人',
    role: 'caseworker',
    regionCode: '410721100',
    password: PASSWORD,
  });
  await createUser(stack.db, {
    username: 't-admin',
    name: '测试管理员',
    role: 'admin',
    regionCode: '410721',
    password: PASSWORD,
  });
  await createUser(stack.db, {
    username: 't-sv',
    name: '测试督办',
    role: 'supervisor',
    regionCode: '410721',
    password: PASSWORD,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const login = (username: string, password = PASSWORD) =>
  stack.call('POST', '/api/v1/auth/login', { body: { username, password } });

describe('sign-in', () => {
  it('gives a short-lived token for the right password, the same refusal for a wrong password or name', async () => {
    const ok = await login('t-cw');
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({
      username: 't-cw',
      role: 'caseworker',
      regionCode: '410721100',
      regionName: '七里营镇',
    });
    const minutes = (Date.parse(ok.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(25);
    expect(minutes).toBeLessThanOrEqual(30);
    const me = await stack.call('GET', '/api/v1/auth/me', { token: ok.body.token });
    expect(me.body).toMatchObject({ username: 't-cw', name: '测试经办人' });
    const refreshed = await stack.call('POST', '/api/v1/auth/refresh', { token: ok.body.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token).toEqual(expect.any(String));

    const wrong = await login('t-cw', 'not the password');
    const unknown = await login('nobody-here', 'not the password');
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', messageZh: '用户名或密码错误' });
    }
    const row = await stack.db('users').where({ username: 't-cw' }).first('password_hash');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses refresh to a development token that names no user, and to a deactivated user', async () => {
    expect((await stack.call('POST', '/api/v1/auth/refresh', { token: stack.token('caseworker') })).status).toBe(401);
  });
});

describe('user administration', () => {
  it('lets an admin create, change, reset and deactivate users, and nobody else', async () => {
    const admin = (await login('t-admin')).body.token;
    const cw = (await login('t-cw')).body.token;
    expect((await stack.call('GET', '/api/v1/users', { token: cw })).status).toBe(403);
    const bad = await stack.call('POST', '/api/v1/users', {
      token: admin,
      body: { username: 't-new', name: '新用户', role: 'department', regionCode: '410721', password: 'short' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'password', messageZh: expect.any(String) });
    const noDept = await stack.call('POST', '/api/v1/users', {
      token: admin,
      body: { username: 't-new', name: '新用户', role: 'department', regionCode: '410721', password: PASSWORD },
    });
    expect(noDept.status).toBe(422);
    const created = await stack.call('POST', '/api/v1/users', {
      token: admin,
      body: {
        username: 't-new',
        name: '新用户',
        role: 'department',
        department: 'HEALTH',
        regionCode: '410721',
        password: PASSWORD,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    expect(
      (
        await stack.call('POST', '/api/v1/users', {
          token: admin,
          body: { username: 't-new', name: 'x', role: 'caseworker', regionCode: '410721100', password: PASSWORD },
        })
      ).body.error.code,
    ).toBe('USERNAME_TAKEN');
    const signedIn = (await login('t-new')).body;
    expect(signedIn.user).toMatchObject({ role: 'department', department: 'HEALTH' });

    const changed = await stack.call('PATCH', `/api/v1/users/${created.body.id}`, {
      token: admin,
      body: { role: 'caseworker', regionCode: '410721101', password: 'another long password' },
    });
    expect(changed.body).toMatchObject({ role: 'caseworker', regionCode: '410721101', department: null });
    expect((await login('t-new')).status).toBe(401);
    expect((await login('t-new', 'another long password')).body.user.regionName).toBe('朗公庙镇');
    await stack.call('PATCH', `/api/v1/users/${created.body.id}`, { token: admin, body: { active: false } });
    expect((await login('t-new', 'another long password')).status).toBe(401);
    expect((await stack.call('POST', '/api/v1/auth/refresh', { token: signedIn.token })).status).toBe(401);

    const list = await stack.call('GET', '/api/v1/users?limit=2', { token: admin });
    expect(list.body).toMatchObject({ total: expect.any(Number), items: expect.any(Array) });
    expect(list.body.items).toHaveLength(2);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await stack.call('GET', `/api/v1/users?limit=2&cursor=${list.body.nextCursor}`, { token: admin });
    expect(next.body.items[0].username).not.toBe(list.body.items[0].username);
  });
});

describe('the inbox and task forms', () => {
  it('says whom and where, masks the name for a supervisor, pages with total and cursor, gives the form', async () => {
    const cw = (await login('t-cw')).body.token;
    const sv = (await login('t-sv')).body.token;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await stack.call('POST', '/api/v1/applications', { token: cw, body: singlePersonApplication() })).body.caseId,
      );
    const first = await stack.call('GET', '/api/v1/tasks?type=accept&limit=2', { token: cw });
    expect(first.body.total).toBeGreaterThanOrEqual(3);
    expect(first.body.items).toHaveLength(2);
    expect(decodeCursor(first.body.nextCursor)).toBe(2);
    const row = (await stack.call('GET', `/api/v1/tasks?caseId=${ids[0]}`, { token: cw })).body.items[0];
    expect(row).toMatchObject({
      type: 'accept',
      subjectName: '王秀英',
      regionName: '七里营镇',
      process: 'application',
    });
    expect(row).toHaveProperty('workingDaysLeft', null); // acceptance has no time limit; later steps count working days
    const masked = (await stack.call('GET', `/api/v1/tasks?caseId=${ids[0]}`, { token: sv })).body.items[0];
    expect(masked.subjectName).toBe('王**');
    // Nothing in the supervisor's view of the case gives the masked digits back: no birth date anywhere.
    const asSupervisor = (await stack.call('GET', `/api/v1/cases/${ids[0]}`, { token: sv })).body;
    expect(asSupervisor.household.members[0]).toMatchObject({
      idNumber: expect.stringMatching(/^410721\*{8}\d{3}[\dX]$/),
      birthDate: null,
    });
    expect(JSON.stringify(asSupervisor)).not.toContain('1975-06-15');

    const one = await stack.call('GET', `/api/v1/tasks/${encodeURIComponent(row.id)}`, { token: cw });
    expect(one.body.form.label).toBe('受理');
    const returned = one.body.form.outcomes.find((o: { outcome: string }) => o.outcome === 'RETURNED');
    expect(returned.schema).toMatchObject({
      type: 'object',
      required: ['missingDocuments'],
      properties: { missingDocuments: { type: 'array', minItems: 1, title: expect.stringContaining('缺少') } },
    });
    const types = await stack.call('GET', '/api/v1/task-types', { token: cw });
    expect(types.body.items.map((t: { type: string }) => t.type)).toEqual(
      expect.arrayContaining(['accept', 'confirm', 'justification', 'caseConference']),
    );

    const bad = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(row.id)}/complete`, {
      token: cw,
      body: { outcome: 'RETURNED', data: { missingDocuments: [] } },
    });
    expect(bad.body.error).toMatchObject({ code: 'INVALID_COMPLETION', messageZh: '所填信息不符合要求' });
    expect(bad.body.error.details[0].messageZh).toContain('缺少的材料');
    const otherTown = stack.token('caseworker', '410721101');
    expect(
      (await stack.call('GET', `/api/v1/tasks/${encodeURIComponent(row.id)}`, { token: otherTown })).body.error
        .messageZh,
    ).toBe('未找到（或不在您的辖区内）'); // another township's task looks absent (docs/access.md)
  });

  it('lists regions with their names', async () => {
    const r = await stack.call('GET', '/api/v1/regions', { token: stack.token('caseworker') });
    expect(r.body.items).toEqual(
      expect.arrayContaining([{ code: '410721100', name: '七里营镇', level: 'TOWNSHIP', parentCode: '410721' }]),
    );
  });
});

describe('documents and docs', () => {
  it('writes the roster as XLSX with masked ID numbers', async () => {
    const month = '2031-01';
    const recipientId = '00000000-0000-4000-8000-000000000014';
    await stack.db('payments').where({ month }).del();
    // A household of its own with its head (the payee), so the line's name and ID number are known.
    const householdId = randomUUID();
    const facts = { idNumber: idNumber('1975-06-15', 'F'), name: '花名册', birthDate: '1975-06-15', sex: 'F' as const };
    const personId = await stack.db.transaction(async (trx) => {
      const person = (await resolvePeople(trx, [facts])).get(facts.idNumber)!.id;
      await settleHousehold(trx, {
        newId: householdId,
        on: '2026-01-01',
        exact: true,
        people: [{ personId: person, relation: 'APPLICANT' }],
        facts: { regionCode: '410721100', residence: 'RURAL', economy: null },
      });
      return person;
    });
    await stack.db('payments').insert({
      id: `monthly:${recipientId}:${month}`,
      kind: 'MONTHLY',
      recipient_id: null,
      household_id: householdId,
      person_id: personId,
      case_id: null,
      region_code: '410721100',
      month,
      category: 'DIBAO',
      amount: 220,
    });
    const res = await fetch(`${stack.baseUrl}/api/v1/payments/roster.xlsx?month=${month}`, {
      headers: { authorization: `Bearer ${stack.token('supervisor', '410721')}` },
    });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(String(ws.getRow(1).getCell(1).value)).toContain('发放花名册');
    expect(ws.getRow(2).getCell(5).value).toBe('身份证号（脱敏）');
    expect(String(ws.getRow(3).getCell(5).value)).toMatch(/^410721\*{8}\d{3}[\dX]$/);
    expect(ws.getRow(3).getCell(9).value).toBe(220);
    await stack.db('payments').where({ month }).del();
  });

  it('documents the API key, the task completions and paged lists in OpenAPI', async () => {
    const doc = (await stack.call('GET', '/openapi.json')).body;
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(doc.paths['/cases/{id}/escalations'].post.security).toEqual(expect.arrayContaining([{ apiKey: [] }]));
    expect(doc.paths['/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/tasks/{id}'].get).toBeDefined();
    expect(doc.components.schemas.TaskCompletion_confirm.oneOf).toHaveLength(2);
    expect(
      doc.paths['/tasks/{id}/complete'].post.requestBody.content['application/json'].schema.oneOf.length,
    ).toBeGreaterThan(10);
    // Every list the document calls paged answers with a total and a cursor.
    const sv = stack.token('supervisor', '410721');
    for (const path of ['/notifications', '/me/notifications', '/escalations', '/cases', '/deadlines', '/recipients']) {
      const r = await stack.call('GET', `/api/v1${path}?limit=1`, { token: sv });
      expect({ path, total: typeof r.body.total, cursor: 'nextCursor' in r.body }).toEqual({
        path,
        total: 'number',
        cursor: true,
      });
    }
    const list = doc.paths['/cases'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toContain('cursor');
    expect(Object.keys(list.responses['200'].content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['items', 'total', 'nextCursor']),
    );
  });
});
