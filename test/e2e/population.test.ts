// The population database on the real stack (real HTTP, Temporal dev server, PostgreSQL): one person, one open
// application; one advance per event and a rolling cap; a household re-applying is the same household; departments
// report by API, CSV and XLSX into the chain; the omission report; the roster constraint; no readable ID numbers.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { E2E_ENV_FILE } from '../support/global-setup';
import { rotateIdKeys } from '../../data/id-key-rotation';
import { idKeys, openIdNumber, parseKeySet, useKeySet } from '../../data/id-keys';
import { PROJECT_ROOT } from '../../config';
import { startStack, Stack } from '../support/stack';
import { idNumber, singlePersonApplication } from '../support/fixtures';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { checkCharacter } from '../../domain/idNumber';
import type { Department } from '../../domain/glossary';

jest.setTimeout(120_000);

let stack: Stack;
let caseworker: string;
let otherTownship: string;
let reviewer: string;
let officer: string;
let supervisor: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker', '410721100', 'cw-population');
  otherTownship = stack.token('caseworker', '410721101', 'cw-langgongmiao');
  reviewer = stack.token('reviewer', '410721100');
  officer = stack.token('county_officer', '410721');
  supervisor = stack.token('supervisor', '410721');
});
afterAll(async () => {
  await stack?.stop();
});

const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);
const year = today.slice(0, 4);

/** A department user's token: stack.token signs no department claim. */
function departmentToken(department: Department, sub: string) {
  return stack.sign({ sub, role: 'department', region: '410721', department });
}

async function openTask(caseId: string, type: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const r = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, { token: officer });
    if (r.body.items?.length) return r.body.items[0].id;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no open ${type} task for ${caseId}`);
}

async function complete(caseId: string, type: string, token: string, outcome: string, data = {}) {
  const taskId = await openTask(caseId, type);
  const r = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, {
    token,
    body: { outcome, data },
  });
  expect(r.status).toBe(200);
}

async function submit(body: unknown, token = caseworker) {
  return stack.call('POST', '/api/v1/applications', { token, body });
}

/** An application taken to approval with paper dates, as `category`. */
async function approve(body: ReturnType<typeof singlePersonApplication>, category: string) {
  const r = await submit({ ...body, receivedOn: daysAgo(70) });
  expect(r.status).toBe(201);
  const caseId = r.body.caseId;
  await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(68) });
  await complete(caseId, 'homeVisit', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await complete(caseId, 'economicCheck', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await complete(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL', { effectiveOn: daysAgo(60) });
  await complete(caseId, 'confirm', reviewer, 'APPROVED', {
    category,
    monthlyAmount: 600,
    deviationReason: 'no capacity to work and no legal supporter: TEKUN after the home visit',
    effectiveOn: daysAgo(40),
  });
  for (let i = 0; i < 100; i++) {
    const rec = await stack.db('recipients').where({ case_id: caseId }).first('id', 'person_id');
    if (rec) return { caseId, householdId: r.body.householdId as string, recipientId: rec.id as string };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('not enrolled');
}

let seq = 300;
function beijingIdNumber(): string {
  const first17 = `110105${'19880412'}${String(seq++).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
const emergency = (idNumber: string, requestedAmount: number) => ({
  regionCode: '410721100',
  person: { name: '李建国', idNumber },
  residence: 'RURAL',
  hardship: 'ACCIDENT',
  description: 'traffic accident; hospitalised',
  requestedAmount,
});

describe('one person, one open application', () => {
  it('answers 409 with the existing case to its township, and without details to another township', async () => {
    const body = singlePersonApplication();
    const first = await submit(body);
    expect(first.status).toBe(201);

    const again = await submit(body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OPEN_CASE_EXISTS');
    expect(again.body.error.details.case).toEqual({
      visible: true,
      caseId: first.body.caseId,
      regionCode: '410721100',
      status: 'SUBMITTED',
    });

    const elsewhere = await submit({ ...body, regionCode: '410721101' }, otherTownship);
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.details.case).toEqual({
      visible: false,
      message: 'already has an open case in another township',
    });
    expect(JSON.stringify(elsewhere.body)).not.toContain(first.body.caseId);
    expect(await stack.db('cases').where({ household_id: first.body.householdId }).count({ n: '*' }).first()).toEqual({
      n: '1',
    });
  });

  it('a household re-applying after its case ended links to its household, whose chain shows both cases', async () => {
    const body = singlePersonApplication();
    const first = await submit(body);
    await complete(first.body.caseId, 'accept', caseworker, 'RETURNED', { missingDocuments: ['户口簿'] });
    // A new member joins: the household is the same, its membership grows.
    const child = idNumber('2015-03-01', 'M');
    const second = await submit({
      ...body,
      people: [...body.people, { memberId: 'm2', name: '王小明', idNumber: child }],
      household: {
        ...body.household,
        members: [
          ...body.household.members,
          {
            memberId: 'm2',
            relation: 'CHILD',
            birthDate: '2015-03-01',
            laborCapacity: 'NONE',
            seriousIllness: false,
            studentLevel: 'PRIMARY',
            employed: false,
          },
        ],
      },
    });
    expect(second.status).toBe(201);
    expect(second.body.householdId).toBe(first.body.householdId);

    const chain = await stack.call('GET', `/api/v1/households/${first.body.householdId}/assistance-chain`, {
      token: caseworker,
    });
    expect(chain.status).toBe(200);
    expect(chain.body.cases.map((c: { id: string }) => c.id)).toEqual([first.body.caseId, second.body.caseId]);
    const members = await stack.db('members').where({ household_id: first.body.householdId }).whereNull('left_on');
    expect(members).toHaveLength(2);
  });

  it('an active recipient is not enrolled again: 409 pointing to the change check', async () => {
    const body = singlePersonApplication();
    const { recipientId } = await approve(body, 'DIBAO');
    const again = await submit(body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_RECIPIENT');
    expect(again.body.error.details.recipient).toMatchObject({ visible: true, caseId: recipientId, category: 'DIBAO' });
    expect(again.body.error.details.changeReport).toBe(`POST /api/v1/cases/${recipientId}/change-reports`);
  });
});

describe('emergency advances per person', () => {
  it('a second advance over the rolling cap is 422 pointing to staged assistance or a conference', async () => {
    const person = beijingIdNumber();
    const first = await stack.call('POST', '/api/v1/emergencies', { token: caseworker, body: emergency(person, 400) });
    expect(first.status).toBe(201);
    const second = await stack.call('POST', '/api/v1/emergencies', { token: caseworker, body: emergency(person, 420) });
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('ADVANCE_PERIOD_CAP_EXCEEDED');
    expect(second.body.error.details).toMatchObject({
      alreadyAdvanced: 400,
      periodCap: 420,
      periodDays: 30,
      remaining: 20,
      earlierCases: [{ visible: true, caseId: first.body.caseId }],
    });
    expect(second.body.error.details.alternatives.join(' ')).toMatch(/STAGED_ASSISTANCE.*CASE_CONFERENCE/);
    // Within the cap but the first emergency still open: the same event, 409.
    const third = await stack.call('POST', '/api/v1/emergencies', { token: caseworker, body: emergency(person, 20) });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('EMERGENCY_ALREADY_OPEN');
    const advances = await stack
      .db('emergencies')
      .whereIn('person_id', stack.db('emergencies').where({ case_id: first.body.caseId }).select('person_id'));
    expect(advances).toHaveLength(1);
  });
});

describe('departments report into the chain; the omission report', () => {
  const NAME = '欧阳秀英';
  let tekun: { caseId: string; householdId: string; recipientId: string };
  let personId: string;
  let tekunIdNumber: string;

  beforeAll(async () => {
    const body = singlePersonApplication();
    // A name no other suite uses: the suites share one database, and a name search answers 20 at most.
    body.people[0].name = NAME;
    tekunIdNumber = body.people[0].idNumber;
    tekun = await approve(body, 'TEKUN');
    personId = (await stack.db('recipients').where({ id: tekun.recipientId }).first('person_id')).person_id;
  });

  const omissionsOf = async () => {
    const r = await stack.call('GET', '/api/v1/reports/omissions', { token: supervisor });
    expect(r.status).toBe(200);
    return (r.body.items as { personId: string; missing: string; explanation: string }[]).filter(
      (l) => l.personId === personId,
    );
  };

  it('lists a TEKUN recipient without the medical subsidy, and drops them once a CSV reports it', async () => {
    const before = await omissionsOf();
    expect(before).toEqual([
      expect.objectContaining({
        missing: 'MEDICAL_SUBSIDY',
        explanation: expect.stringContaining('TEKUN: full medical insurance subsidy of 400 yuan'),
        person: `/api/v1/people/${personId}`,
      }),
    ]);

    const token = departmentToken('MEDICAL_INSURANCE', 'yibao');
    const csv =
      '\uFEFF编号,身份证号,姓名,救助类别,所属期间,发放日期,金额,备注\n' +
      `YB-${personId.slice(0, 8)},${tekunIdNumber},${NAME},MEDICAL_SUBSIDY,${year},${today},400,全额资助\n` +
      `YB-bad-1,410721197506150000,某某,MEDICAL_SUBSIDY,${year},${today},400,\n` +
      `YB-bad-2,${tekunIdNumber},${NAME},EDUCATION_AID,${year},${today},100,\n`;
    const upload = () =>
      stack.call('POST', '/api/v1/assistance-reports/files?fileName=yibao.csv', {
        token,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
    const r = await upload();
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 2, alreadyImported: false });
    expect(r.body.rejections).toEqual([
      { line: 3, reference: 'YB-bad-1', reasons: [expect.stringMatching(/^idNumber: /)] },
      { line: 4, reference: 'YB-bad-2', reasons: ['kind: MEDICAL_INSURANCE does not report EDUCATION_AID'] },
    ]);
    expect(JSON.stringify(r.body)).not.toContain('410721197506150000');
    // The same file again: the same batch (by content), nothing added.
    const again = await upload();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 1, alreadyImported: true });

    expect(await omissionsOf()).toEqual([]);
    const chain = await stack.call('GET', `/api/v1/households/${tekun.householdId}/assistance-chain`, {
      token: caseworker,
    });
    expect(chain.body.assistance).toEqual([
      expect.objectContaining({ kind: 'MEDICAL_SUBSIDY', department: 'MEDICAL_INSURANCE', amount: 400, period: year }),
    ]);
    expect(chain.body.timeline.map((e: { type: string; kind: string }) => `${e.type}:${e.kind}`)).toEqual(
      expect.arrayContaining(['DECISION:APPROVED', 'ASSISTANCE:MEDICAL_SUBSIDY']),
    );
  });

  it('an XLSX upload and an API batch appear in the person chain; a re-sent batch adds nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('教育救助');
    ws.addRow(['reference', 'idNumber', 'name', 'kind', 'period', 'grantedOn', 'amount', 'stage']);
    ws.addRow([
      `JT-${personId.slice(0, 8)}`,
      tekunIdNumber,
      NAME,
      'EDUCATION_AID',
      year,
      new Date(`${today}T00:00:00Z`),
      1250,
      '成人教育',
    ]);
    ws.addRow(['JT-x', '41072119750615002', NAME, 'EDUCATION_AID', year, today, 10, '']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const token = departmentToken('EDUCATION', 'jiaoti');
    const res = await fetch(
      `${stack.baseUrl}/api/v1/assistance-reports/files?fileName=jiaoti.xlsx&batchId=jt-2026-01`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        body: file,
      },
    );
    expect(res.status).toBe(201);
    const r = { body: await res.json() };
    expect(r.body).toMatchObject({ accepted: 1, rejected: 1, rejections: [{ line: 3, reference: 'JT-x' }] });

    const housing = departmentToken('HOUSING', 'zhujian');
    const batch = {
      batchId: 'zj-1',
      records: [
        {
          reference: `ZJ-${personId.slice(0, 8)}`,
          idNumber: tekunIdNumber,
          kind: 'RENT_REDUCTION',
          period: today.slice(0, 7),
          grantedOn: today,
          amount: 151.2,
          details: { area: 20, rate: 0.9 },
        },
      ],
    };
    const api = await stack.call('POST', '/api/v1/assistance-reports', { token: housing, body: batch });
    expect(api.status).toBe(201);
    expect(api.body.accepted).toBe(1);
    const resent = await stack.call('POST', '/api/v1/assistance-reports', { token: housing, body: batch });
    expect(resent.body).toMatchObject({ accepted: 1, alreadyImported: true });

    const lookup = await stack.call('POST', '/api/v1/people/lookup', {
      token: caseworker,
      body: { idNumber: tekunIdNumber },
    });
    expect(lookup.status).toBe(200);
    expect(lookup.body.person).toMatchObject({ id: personId, idNumber: tekunIdNumber, name: NAME });
    expect(lookup.body.recipient).toEqual([
      expect.objectContaining({ id: tekun.recipientId, category: 'TEKUN', active: true }),
    ]);
    expect(lookup.body.chain.assistance.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'EDUCATION_AID',
      'MEDICAL_SUBSIDY',
      'RENT_REDUCTION',
    ]);
    const audited = await stack.db('audit_log').where({ action: 'person.lookup', entity_id: personId }).first();
    expect(audited).toMatchObject({ actor: 'cw-population', role: 'caseworker' });

    // Another township does not find her; a supervisor sees her masked.
    const far = await stack.call('POST', '/api/v1/people/lookup', {
      token: otherTownship,
      body: { idNumber: tekunIdNumber },
    });
    expect(far.status).toBe(404);
    const masked = await stack.call('GET', `/api/v1/people/${personId}`, { token: supervisor });
    expect(masked.body.person.idNumber).toBe(`${tekunIdNumber.slice(0, 6)}********${tekunIdNumber.slice(14)}`);
    const byName = await stack.call('GET', '/api/v1/people?name=欧阳秀', { token: caseworker });
    expect(byName.body.items.map((p: { id: string }) => p.id)).toContain(personId);
  });
});

describe('the database itself', () => {
  it('refuses a second MONTHLY roster line for one person and month', async () => {
    const { recipientId, householdId, caseId } = await approve(singlePersonApplication(), 'DIBAO');
    const person = (await stack.db('recipients').where({ id: recipientId }).first('person_id')).person_id;
    const line = (id: string) => ({
      id,
      kind: 'MONTHLY',
      household_id: householdId,
      person_id: person,
      case_id: caseId,
      region_code: '410721100',
      month: '2031-01',
      amount: 220,
    });
    await stack.db('payments').insert(line(`test-dup-1-${recipientId}`));
    await expect(stack.db('payments').insert(line(`test-dup-2-${recipientId}`))).rejects.toMatchObject({
      code: '23505',
      constraint: 'payments_person_month_kind_uq',
    });
    await stack.db('payments').where('id', 'like', `test-dup-%-${recipientId}`).delete();
  });

  it('holds no readable ID number in any table', async () => {
    const body = singlePersonApplication();
    const r = await submit(body);
    expect(r.status).toBe(201);
    const number = body.people[0].idNumber;
    const person = await stack
      .db('people')
      .whereIn('id', stack.db('case_people').where({ case_id: r.body.caseId }).select('person_id'))
      .first();
    // What someone with database access but without the key sees:
    const shown = {
      id_hash: person.id_hash.toString('hex'),
      id_cipher: person.id_cipher.toString('hex'),
      id_key: person.id_key,
    };
    console.log('people row of a person, as stored:', shown);
    expect(shown.id_hash).toHaveLength(64);
    expect(shown.id_cipher.length).toBeGreaterThanOrEqual(2 * (12 + 16 + 18));
    expect(JSON.stringify(shown)).not.toContain(number);
    expect(person.id_cipher.includes(Buffer.from(number))).toBe(false);
    // Not in any column of any table, as text or as bytes (the birth-date digits alone are not the number).
    const columns = await stack
      .db('information_schema.columns')
      .where({ table_schema: 'public' })
      .whereIn('data_type', ['text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY'])
      .select('table_name', 'column_name', 'data_type');
    const hits: string[] = [];
    for (const c of columns) {
      const expr = c.data_type === 'bytea' ? `encode(??, 'escape')` : '??::text';
      const found = await stack.db.raw(`select 1 from ?? where ${expr} like ? limit 1`, [
        c.table_name,
        c.column_name,
        `%${number}%`,
      ]);
      if (found.rows.length) hits.push(`${c.table_name}.${c.column_name}`);
    }
    expect(hits).toEqual([]);
    // With the key, the number comes back.
    const shownToCaseworker = await stack.call('GET', `/api/v1/cases/${r.body.caseId}`, { token: caseworker });
    expect(shownToCaseworker.body.household.members[0].idNumber).toBe(number);
  });
});

describe('the command-line import and key rotation', () => {
  it('imports a CSV with npm run import, showing accepted and rejected rows with their lines', async () => {
    const { recipientId } = await approve(singlePersonApplication(), 'DIBAO');
    const person = await stack
      .db('people')
      .where({ id: (await stack.db('recipients').where({ id: recipientId }).first('person_id')).person_id })
      .first();
    const number = openIdNumber({ cipher: person.id_cipher, keyId: person.id_key });
    const dir = mkdtempSync(join(tmpdir(), 'doudi-import-'));
    const file = join(dir, 'disaster.csv');
    writeFileSync(
      file,
      'reference,idNumber,kind,period,grantedOn,amount\n' +
        `YJ-${recipientId.slice(0, 8)},${number},DISASTER_RELIEF,${today.slice(0, 7)},${today},300\n` +
        `YJ-2,${number},DISASTER_RELIEF,2026-13,${today},300\n`,
    );
    const env = JSON.parse(readFileSync(E2E_ENV_FILE, 'utf8'));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/import.ts'), '--department', 'EMERGENCY', '--file', file],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: env.databaseUrl, DOUDI_ID_KEYS: env.idKeys } },
    );
    expect(stdout).toMatch(/1 accepted, 0 already reported, 1 rejected/);
    expect(stdout).toMatch(/line 3 \(YJ-2\): period: YYYY or YYYY-MM/);
    expect(stdout).not.toContain(number);
    const stored = await stack
      .db('assistance_records')
      .where({ id: `EMERGENCY:YJ-${recipientId.slice(0, 8)}` })
      .first();
    expect(stored).toMatchObject({ person_id: person.id, kind: 'DISASTER_RELIEF', region_code: '410721100' });
  });

  it('re-encrypts every number under a new key, and back', async () => {
    const original = idKeys();
    const sample = await stack.db('people').orderBy('id').first();
    const before = openIdNumber({ cipher: sample.id_cipher, keyId: sample.id_key });
    const rotated = parseKeySet(
      JSON.stringify({
        lookup: original.lookup.toString('base64'),
        current: 'k2',
        keys: {
          ...Object.fromEntries(Object.entries(original.keys).map(([k, v]) => [k, v.toString('base64')])),
          k2: Buffer.alloc(32, 7).toString('base64'),
        },
      }),
      'test',
    );
    try {
      const r = await rotateIdKeys(stack.db, rotated, { pageSize: 7 });
      const total = Number((await stack.db('people').count({ n: '*' }).first())!.n);
      expect(r).toEqual({ reencrypted: total, rehashed: 0 });
      const after = await stack.db('people').where({ id: sample.id }).first();
      expect(after.id_key).toBe('k2');
      expect(after.id_cipher.equals(sample.id_cipher)).toBe(false);
      expect(openIdNumber({ cipher: after.id_cipher, keyId: 'k2' }, rotated)).toBe(before);
      expect(await stack.db('people').whereNot({ id_key: 'k2' }).count({ n: '*' }).first()).toEqual({ n: '0' });
    } finally {
      // Back under the run's key, with both keys known while it runs (as in production).
      await rotateIdKeys(stack.db, { ...rotated, current: original.current });
      useKeySet(undefined);
    }
    expect(await stack.db('people').whereNot({ id_key: original.current }).count({ n: '*' }).first()).toEqual({
      n: '0',
    });
  });
});
