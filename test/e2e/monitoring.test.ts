// Dynamic monitoring on the real stack (real HTTP, Temporal dev server, PostgreSQL): department data in by CSV and by
// API, a comparison run raising one warning of each class, each handled through the API to its outcome, a rerun raising
// nothing new; a village assistant's visit report dismissed as a false alarm; an integrator's data-matched application.
import { startStack, Stack } from '../support/stack';
import { idNumber, singlePersonApplication } from '../support/fixtures';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import type { Department } from '../../domain/glossary';
import { lookupHash } from '../../data/id-keys';

jest.setTimeout(240_000);

let stack: Stack;
let caseworker: string;
let reviewer: string;
let officer: string;
let supervisor: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = stack.token('caseworker', '410721100', 'cw-monitoring');
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

function departmentToken(department: Department) {
  return stack.sign({
    sub: `dept-${department}`,
    role: 'department',
    region: '410721',
    department,
  });
}

/** The open task as `token` sees it (a department sees its own tasks only). */
async function openTask(caseId: string, type: string, token = officer): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const r = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, { token });
    if (r.body.items?.length) return r.body.items[0].id;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no open ${type} task for ${caseId}`);
}

async function complete(caseId: string, type: string, token: string, outcome: string, data = {}) {
  const taskId = await openTask(caseId, type, token);
  const r = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, {
    token,
    body: { outcome, data },
  });
  expect({ status: r.status, body: r.status === 200 ? undefined : r.body }).toEqual({ status: 200 });
  return r.body;
}

/** The application's review with paper dates, to its decision. */
async function review(caseId: string, category: string, monthlyAmount = 600) {
  await complete(caseId, 'accept', caseworker, 'ACCEPTED', { effectiveOn: daysAgo(68) });
  await complete(caseId, 'homeVisit', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await complete(caseId, 'economicCheck', caseworker, 'DONE', { effectiveOn: daysAgo(65) });
  await complete(caseId, 'firstReview', reviewer, 'RECOMMEND_APPROVAL', { effectiveOn: daysAgo(60) });
  await complete(caseId, 'confirm', reviewer, 'APPROVED', {
    category,
    monthlyAmount,
    deviationReason: 'no capacity to work and no legal supporter: decided after the home visit',
    effectiveOn: daysAgo(40),
  });
}

async function enrolled(caseId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const rec = await stack.db('recipients').where({ case_id: caseId }).first('id');
    if (rec) return rec.id as string;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('not enrolled');
}

async function approve(body: ReturnType<typeof singlePersonApplication>, category: string) {
  const r = await stack.call('POST', '/api/v1/applications', {
    token: caseworker,
    body: { ...body, receivedOn: daysAgo(70) },
  });
  expect(r.status).toBe(201);
  await review(r.body.caseId, category);
  return { caseId: r.body.caseId as string, recipientId: await enrolled(r.body.caseId) };
}

async function warningOf(personIdNumber: string, ruleId: string) {
  const person = await stack
    .db('people')
    .where({ id_hash: lookupHash(personIdNumber) })
    .first('id');
  const r = await stack.call('GET', `/api/v1/warnings?personId=${person.id}&ruleId=${ruleId}`, {
    token: officer,
  });
  expect(r.body.items).toHaveLength(1);
  return r.body.items[0];
}

async function warning(id: string) {
  return (await stack.call('GET', `/api/v1/warnings/${id}`, { token: officer })).body;
}

async function closed(id: string) {
  for (let i = 0; i < 150; i++) {
    const w = await warning(id);
    if (w.closedAt) return w;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`warning ${id} not closed`);
}

const runComparison = () => stack.call('POST', '/api/v1/monitoring/comparison-runs', { token: officer });

describe('department data → comparison → a warning of each class, each handled to its outcome', () => {
  // The people: a TEKUN recipient without the medical subsidy; a DIBAO recipient newly employed; a person the database
  // does not know yet with medical expenses above half the household income; a poverty-return monitoring object under
  // the edge line; a person with three hardships at once; and one with nothing to warn of.
  const tekun = singlePersonApplication();
  const dibao = singlePersonApplication();
  const medical = singlePersonApplication();
  const returnObject = idNumber('1968-02-10', 'M');
  const complex = idNumber('1959-09-09', 'F');
  const nothing = idNumber('1990-01-01', 'M');
  const tekunId = tekun.people[0].idNumber;
  const dibaoId = dibao.people[0].idNumber;
  const medicalId = medical.people[0].idNumber;
  let tekunRecipient: { caseId: string; recipientId: string };
  let dibaoRecipient: { caseId: string; recipientId: string };
  let firstRun: { runId: string; raised: number; byClass: Record<string, number>; workflowsStarted: number };

  beforeAll(async () => {
    tekunRecipient = await approve(tekun, 'TEKUN');
    dibaoRecipient = await approve(dibao, 'DIBAO');
  });

  it('a medical expenses CSV loads by COPY; a bad row is reported by line and reason, the rest loads', async () => {
    const csv = [
      'idNumber,name,regionCode,selfPaid12m,householdIncome12m',
      `${tekunId},王秀英,410721100,1200,30000`,
      `${medicalId},王秀英,410721100,30000,40000`,
      `${complex},赵桂兰,410721100,2000,30000`,
      `${nothing},钱多多,410721100,500,90000`,
      '410721199001011234,错号,410721100,100,1000',
      `${dibaoId},王秀英,410721100,300,30000`,
    ].join('\n');
    const r = await stack.call('POST', `/api/v1/monitoring/datasets/files?dataset=MEDICAL_EXPENSES&asOf=${today}`, {
      token: departmentToken('MEDICAL_INSURANCE'),
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ dataset: 'MEDICAL_EXPENSES', accepted: 5, rejected: 1, alreadyImported: false });
    expect(r.body.rejections).toEqual([{ line: 6, reasons: [expect.stringContaining('idNumber')] }]);
    // The same file again: its first summary, nothing added.
    const again = await stack.call('POST', `/api/v1/monitoring/datasets/files?dataset=MEDICAL_EXPENSES&asOf=${today}`, {
      token: departmentToken('MEDICAL_INSURANCE'),
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 5, alreadyImported: true });
    // A department sends its own datasets only.
    const wrong = await stack.call(
      'POST',
      `/api/v1/monitoring/datasets/files?dataset=SEVERE_DISABILITY&asOf=${today}`,
      {
        token: departmentToken('MEDICAL_INSURANCE'),
        headers: { 'content-type': 'text/csv' },
        body: csv,
      },
    );
    expect(wrong.status).toBe(403);
  });

  it('the other departments send their datasets through the API, idempotent per batch', async () => {
    const send = async (department: Department, dataset: string, rows: unknown[]) => {
      const r = await stack.call('POST', '/api/v1/monitoring/datasets', {
        token: departmentToken(department),
        body: { dataset, batchId: `${dataset}-${today}`, asOf: today, rows },
      });
      expect(r.status).toBe(201);
      expect(r.body.rejected).toBe(0);
      return r;
    };
    await send('HUMAN_RESOURCES', 'EMPLOYMENT_WAGE', [{ idNumber: dibaoId, facts: { monthlyWage: 3000 } }]);
    // An older snapshot of a dataset is not compared, only each dataset's latest: this row would fire
    // RETURN_MONITORING_QUALIFIES (the class counts of the run below would be off by one).
    const older = await stack.call('POST', '/api/v1/monitoring/datasets', {
      token: departmentToken('AGRICULTURE'),
      body: {
        dataset: 'RETURN_MONITORING',
        batchId: `RETURN_MONITORING-${daysAgo(30)}`,
        asOf: daysAgo(30),
        rows: [
          {
            idNumber: nothing,
            name: '周一平',
            regionCode: '410721100',
            facts: { riskType: 'EDGE_AT_RISK', perCapitaMonthlyIncome: 300 },
          },
        ],
      },
    });
    expect(older.status).toBe(201);
    await send('AGRICULTURE', 'RETURN_MONITORING', [
      {
        idNumber: returnObject,
        name: '孙国强',
        regionCode: '410721100',
        facts: { riskType: 'EDGE_AT_RISK', perCapitaMonthlyIncome: 300 },
      },
    ]);
    await send('HEALTH', 'SERIOUS_ILLNESS', [{ idNumber: complex, facts: { illness: '尿毒症' } }]);
    const disability = await send('DISABLED_FEDERATION', 'SEVERE_DISABILITY', [
      { idNumber: complex, facts: { disabilityGrade: 1 } },
    ]);
    expect(disability.body.accepted).toBe(1);
    const again = await stack.call('POST', '/api/v1/monitoring/datasets', {
      token: departmentToken('DISABLED_FEDERATION'),
      body: { dataset: 'SEVERE_DISABILITY', batchId: `SEVERE_DISABILITY-${today}`, asOf: today, rows: [{}] },
    });
    expect(again.status).toBe(200);
    expect(again.body.alreadyImported).toBe(true);
  });

  it('a comparison run raises one warning of each class, each explained; a rerun raises nothing new', async () => {
    const r = await runComparison();
    expect(r.status).toBe(201);
    firstRun = r.body;
    expect(r.body.byClass).toEqual({
      POLICY_NOT_IMPLEMENTED: 1,
      POSSIBLY_ELIGIBLE: 2,
      COMPLEX: 1,
      POSSIBLY_INELIGIBLE: 1,
    });
    expect(r.body.workflowsStarted).toBe(5);
    const w = await warningOf(tekunId, 'TEKUN_WITHOUT_MEDICAL_SUBSIDY');
    expect(w).toMatchObject({ warningClass: 'POLICY_NOT_IMPLEMENTED', status: 'RAISED', regionCode: '410721100' });
    expect(w.explanation.zh).toContain(`特困人员在${year}年`);
    expect((await warningOf(complex, 'MULTIPLE_HARDSHIPS')).facts).toMatchObject({ count: 3 });

    const rerun = await runComparison();
    expect(rerun.body).toMatchObject({ raised: 0, notRaisedAgain: 5, workflowsStarted: 0 });
    // Counted over this file's people: the suites share one database, and other files report visits too.
    const ours = [tekunId, dibaoId, medicalId, returnObject, complex, nothing].map((id) => lookupHash(id));
    const people = stack.db('people').whereIn('id_hash', ours).select('id');
    expect(Number((await stack.db('warnings').whereIn('person_id', people).count({ n: '*' }).first())!.n)).toBe(5);
  });

  it('POLICY_NOT_IMPLEMENTED: transferred to medical insurance, its feedback lands in the chain', async () => {
    const w = await warningOf(tekunId, 'TEKUN_WITHOUT_MEDICAL_SUBSIDY');
    // A handling the class does not allow is refused and changes nothing.
    const taskId = await openTask(w.id, 'warningVerification');
    const wrong = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, {
      token: caseworker,
      body: { outcome: 'PUSHED', data: { departments: ['HEALTH'], reason: 'x' } },
    });
    expect(wrong.status).toBe(422);
    await complete(w.id, 'warningVerification', caseworker, 'TRANSFERRED', {
      department: 'MEDICAL_INSURANCE',
      reason: '特困人员应全额资助参保，转医保部门办理',
    });
    await complete(w.id, 'departmentFeedback', departmentToken('MEDICAL_INSURANCE'), 'ASSISTED', {
      assistanceKind: 'MEDICAL_SUBSIDY',
      amount: 380,
      feedback: '已全额资助参保',
    });
    const done = await closed(w.id);
    expect(done).toMatchObject({ status: 'CLOSED', handling: 'TRANSFERRED', outcome: 'ASSISTED' });
    expect(done.feedback).toEqual([
      expect.objectContaining({ department: 'MEDICAL_INSURANCE', kind: 'MEDICAL_SUBSIDY' }),
    ]);
    const c = await stack.db('cases').where({ id: tekunRecipient.caseId }).first('household_id');
    const chain = await stack.call('GET', `/api/v1/households/${c.household_id}/assistance-chain`, {
      token: caseworker,
    });
    expect(JSON.stringify(chain.body)).toContain('MEDICAL_SUBSIDY');
  });

  it('POSSIBLY_ELIGIBLE: an application started from the warning (DATA_MATCH) reaches a decision', async () => {
    const w = await warningOf(medicalId, 'MEDICAL_EXPENSES_HALF_OF_INCOME');
    expect(w.explanation.zh).toContain('30000');
    // The source is the warning's: DATA_MATCH, whatever the caseworker would send.
    const { source, ...application } = medical;
    expect(source).toBe('SELF_DECLARED');
    const r = await stack.call('POST', `/api/v1/warnings/${w.id}/application`, {
      token: caseworker,
      body: { reason: '医疗支出超过家庭收入一半，启动申请', application: { ...application, receivedOn: daysAgo(70) } },
    });
    expect(r.status).toBe(201);
    const caseId = r.body.caseId;
    expect(await stack.db('cases').where({ id: caseId }).first('source')).toEqual({ source: 'DATA_MATCH' });
    const done = await closed(w.id);
    expect(done).toMatchObject({ handling: 'APPLICATION_STARTED', applicationCaseId: caseId, status: 'CLOSED' });
    await review(caseId, 'DIBAO', 220);
    await enrolled(caseId);
    expect((await stack.db('cases').where({ id: caseId }).first('status')).status).toBe('APPROVED');
  });

  it('POSSIBLY_ELIGIBLE: pushed to two departments, a task each; the assistance given lands in the chain', async () => {
    const w = await warningOf(returnObject, 'RETURN_MONITORING_QUALIFIES');
    await complete(w.id, 'warningVerification', caseworker, 'PUSHED', {
      departments: ['HUMAN_RESOURCES', 'EDUCATION'],
      reason: '监测对象收入低于低保边缘标准，推送就业与教育部门',
    });
    // A task per department; the one of human resources is not education's to answer.
    const hrTask = await openTask(w.id, 'departmentFeedback', departmentToken('HUMAN_RESOURCES'));
    const tasks = await stack.call('GET', `/api/v1/tasks?caseId=${w.id}&type=departmentFeedback`, { token: officer });
    expect(tasks.body.items).toHaveLength(2);
    const foreign = await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(hrTask)}/complete`, {
      token: departmentToken('EDUCATION'),
      body: { outcome: 'NOT_APPLICABLE', data: { feedback: 'x' } },
    });
    expect([403, 404]).toContain(foreign.status);
    await complete(w.id, 'departmentFeedback', departmentToken('EDUCATION'), 'NOT_APPLICABLE', {
      feedback: '家中无在校学生',
    });
    await complete(w.id, 'departmentFeedback', departmentToken('HUMAN_RESOURCES'), 'ASSISTED', {
      assistanceKind: 'EMPLOYMENT_SUPPORT',
      feedback: '已推荐公益性岗位',
    });
    const done = await closed(w.id);
    expect(done).toMatchObject({ handling: 'PUSHED', outcome: 'ASSISTED', status: 'CLOSED' });
    expect(done.feedback.map((f: { department: string }) => f.department).sort()).toEqual([
      'EDUCATION',
      'HUMAN_RESOURCES',
    ]);
    const records = await stack.db('assistance_records').where({ person_id: w.personId, kind: 'EMPLOYMENT_SUPPORT' });
    expect(records).toHaveLength(1);
  });

  it('COMPLEX: a case conference decides, and its decision is the outcome', async () => {
    const w = await warningOf(complex, 'MULTIPLE_HARDSHIPS');
    await complete(w.id, 'warningVerification', caseworker, 'CASE_CONFERENCE', {
      reason: '重病、重残叠加，情形复杂',
      departments: ['HEALTH'],
    });
    let conference: { case_id: string; id: string } | undefined;
    for (let i = 0; i < 100 && !conference; i++) {
      conference = await stack.db('conferences').where({ case_id: w.id }).first('id', 'case_id');
      if (!conference) await new Promise((res) => setTimeout(res, 100));
    }
    await complete(conference!.id, 'conferenceOpinion', departmentToken('HEALTH'), 'GIVEN', {
      opinion: '纳入医疗救助并协调大病保险',
    });
    await complete(conference!.id, 'caseConference', officer, 'DEPARTMENT_TAKES_OVER', {
      department: 'HEALTH',
      notes: '卫健部门接办',
    });
    await complete(conference!.id, 'departmentTakeover', departmentToken('HEALTH'), 'DONE', { feedback: '已接办' });
    const done = await closed(w.id);
    expect(done).toMatchObject({
      handling: 'CASE_CONFERENCE',
      outcome: 'CONFERENCE_DEPARTMENT_TAKES_OVER',
      conferenceId: conference!.id,
    });
  });

  it('POSSIBLY_INELIGIBLE: the recipient check ends in termination with its written notice', async () => {
    const w = await warningOf(dibaoId, 'DIBAO_WAGE_ABOVE_STANDARD');
    const r = await stack.call('POST', `/api/v1/warnings/${w.id}/recipient-check`, {
      token: caseworker,
      body: { reason: '人社数据显示已就业', description: '人社数据：月工资3000元' },
    });
    expect(r.status).toBe(201);
    expect(r.body.recipientId).toBe(dibaoRecipient.recipientId);
    const done = await closed(w.id);
    expect(done).toMatchObject({ handling: 'RECIPIENT_CHECK', recipientId: dibaoRecipient.recipientId });
    await complete(dibaoRecipient.recipientId, 'changeReport', caseworker, 'TERMINATE', {
      reasons: ['家庭人均收入已高于当地低保标准'],
    });
    await complete(dibaoRecipient.recipientId, 'terminate', caseworker, 'ISSUED');
    const notice = await stack
      .db('notices')
      .where({ case_id: dibaoRecipient.recipientId, kind: 'TERMINATION' })
      .first();
    expect(notice.status).toBe('ISSUED');
    expect((await stack.db('recipients').where({ id: dibaoRecipient.recipientId }).first()).status).toBe('TERMINATED');
  });

  it('rerunning the comparison after the handling raises nothing new', async () => {
    const rerun = await runComparison();
    expect(rerun.status).toBe(201);
    expect(rerun.body.raised).toBe(0);
    expect(firstRun.raised).toBe(5);
  });

  it('supervisors see the warnings by class, township, status and age, and their deadlines', async () => {
    const r = await stack.call('GET', '/api/v1/warnings/summary', { token: supervisor });
    expect(r.status).toBe(200);
    const closedInTownship = r.body.items.filter(
      (i: { township: string; status: string }) => i.township === '410721100' && i.status === 'CLOSED',
    );
    expect(closedInTownship.reduce((s: number, i: { count: number }) => s + i.count, 0)).toBe(5);
    expect(r.body.items[0].avgHoursToHandling).not.toBeNull();
    expect(r.body.deadlines).toContainEqual(
      expect.objectContaining({ township: '410721100', kind: 'warningVerification', status: 'met' }),
    );
  });
});

describe('village assistants and integrators report', () => {
  it('a village assistant reports a hardship; the township dismisses it as a false alarm, saying why', async () => {
    const assistant = stack.token('village_assistant', '410721100201', 'va-1');
    const body = {
      villageCode: '410721100201',
      person: { name: '周大海', idNumber: idNumber('1950-05-05', 'M') },
      warningClass: 'POSSIBLY_ELIGIBLE',
      description: '独居老人，房屋漏雨',
    };
    const elsewhere = await stack.call('POST', '/api/v1/warnings/visit-reports', {
      token: assistant,
      body: { ...body, villageCode: '410721101201' },
    });
    expect(elsewhere.status).toBe(403);
    const r = await stack.call('POST', '/api/v1/warnings/visit-reports', { token: assistant, body });
    expect(r.status).toBe(201);
    expect(r.body.openTasks).toHaveLength(1);
    const again = await stack.call('POST', '/api/v1/warnings/visit-reports', { token: assistant, body });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OPEN_WARNING_EXISTS');
    await complete(r.body.warningId, 'warningVerification', caseworker, 'FALSE_ALARM', {
      reason: '经核实，子女已接回同住并修缮房屋',
    });
    const done = await closed(r.body.warningId);
    expect(done).toMatchObject({
      status: 'DISMISSED',
      outcome: 'FALSE_ALARM',
      outcomeReason: '经核实，子女已接回同住并修缮房屋',
      source: 'VISIT',
      villageCode: '410721100201',
    });
  });

  it('an integrator submits data-matched applications only', async () => {
    const integrator = stack.token('integrator', '410721', 'integrator-hr');
    const body = singlePersonApplication();
    const self = await stack.call('POST', '/api/v1/applications', { token: integrator, body });
    expect(self.status).toBe(403);
    const matched = await stack.call('POST', '/api/v1/applications', {
      token: integrator,
      body: { ...body, source: 'DATA_MATCH' },
    });
    expect(matched.status).toBe(201);
  });
});
