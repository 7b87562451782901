// Issue 10 on the real stack (HTTP, Temporal dev server, PostgreSQL): refusing an eligible household is a deviation
// (item 3), the confirming level is the region's policy (item 4), a conference's raised amount reaches a recipient's
// next roster and an escalation answers once every opinion task exists (item 7), notices are numbered documents with
// their legal basis, figures, office particulars and issue date (item 10), staff relatives are registered and visited
// by the county (item 9), the summary tells met on time from met late (item 6), /readyz shows the calendar (item 5).
import { startStack, Stack } from '../support/stack';
import { singlePersonApplication } from '../support/fixtures';
import { extractText, squash } from '../support/pdf-text';
import { notifyMissingCalendarYears } from '../../data/calendar-warning';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import { monthAfter } from '../../domain/dates';
import { type Department } from '../../domain/glossary';
import { SEED_POLICY_VERSIONS } from '../../domain/policy';

jest.setTimeout(120_000);

let stack: Stack;
let reviewer: string;
let officer: string;
let supervisor: string;
let admin: string;

// Townships no other test file uses, so their notice numbers and policy are this file's alone.
const COUNTY_CONFIRMS = '410721102'; // 古固寨镇: a policy version with confirmingLevel COUNTY
const NOTICES = '410721105'; // 小冀镇: refusals numbered here

const departmentToken = (department: Department) =>
  stack.sign({ sub: `dept-${department}`, role: 'department', region: '410721', department });

beforeAll(async () => {
  stack = await startStack();
  reviewer = stack.token('reviewer');
  officer = stack.token('county_officer', '410721');
  supervisor = stack.token('supervisor', '410721');
  admin = stack.token('admin', '410721');
});
afterAll(async () => {
  await stack?.stop();
});

const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function submit(regionCode: string, extra: Record<string, unknown> = {}): Promise<string> {
  const body = { ...singlePersonApplication({ regionCode, receivedOn: daysAgo(40) }), ...extra };
  const r = await stack.call('POST', '/api/v1/applications', { token: stack.token('caseworker', regionCode), body });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

async function task(caseId: string, type: string): Promise<any> {
  return until(`${type} task of ${caseId}`, async () => {
    const r = await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, { token: supervisor });
    return r.body.items?.[0];
  });
}

async function complete(caseId: string, type: string, token: string, outcome: string, data = {}) {
  const t = await task(caseId, type);
  return stack.call('POST', `/api/v1/tasks/${encodeURIComponent(t.id)}/complete`, { token, body: { outcome, data } });
}

/** Back-dated to confirmation: accepted 38 days ago, posted 30 days ago (publicity over); township-scoped tokens. */
async function toConfirm(caseId: string, region = '410721100'): Promise<void> {
  const cw = stack.token('caseworker', region);
  expect((await complete(caseId, 'accept', cw, 'ACCEPTED', { effectiveOn: daysAgo(38) })).status).toBe(200);
  expect((await complete(caseId, 'homeVisit', cw, 'DONE', { effectiveOn: daysAgo(35) })).status).toBe(200);
  expect((await complete(caseId, 'economicCheck', cw, 'DONE', { effectiveOn: daysAgo(35) })).status).toBe(200);
  const r = await complete(caseId, 'firstReview', stack.token('reviewer', region), 'RECOMMEND_APPROVAL', {
    effectiveOn: daysAgo(30),
  });
  expect(r.body.activeSteps).toEqual(['confirm']);
}

async function pdfText(noticeId: string): Promise<string> {
  const r = await fetch(`${stack.baseUrl}/api/v1/notices/${encodeURIComponent(noticeId)}/pdf`, {
    headers: { authorization: `Bearer ${stack.token('caseworker', NOTICES)}` },
  });
  expect(r.headers.get('content-type')).toBe('application/pdf');
  return squash(extractText(Buffer.from(await r.arrayBuffer())));
}

describe('item 3: refusing a household assessed eligible is a deviation', () => {
  it('needs a written reason and appears in the deviation list', async () => {
    const caseId = await submit('410721100');
    await toConfirm(caseId);
    const bare = await complete(caseId, 'confirm', reviewer, 'REFUSED', { reasons: ['家庭人均收入高于当地低保标准'] });
    expect(bare.status).toBe(422);
    expect(bare.body.error.message).toMatch(/deviationReason/);
    expect(await stack.db('decisions').where({ case_id: caseId })).toEqual([]);
    const reasoned = await complete(caseId, 'confirm', reviewer, 'REFUSED', {
      reasons: ['家庭人均收入高于当地低保标准'],
      deviationReason: '入户核实有未申报的经营收入',
    });
    expect(reasoned.status).toBe(200);
    const list = await stack.call('GET', '/api/v1/decisions?deviation=true', { token: supervisor });
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          caseId,
          outcome: 'REFUSED',
          deviation: true,
          deviationReason: '入户核实有未申报的经营收入',
          assessed: { category: 'DIBAO', monthlyAmount: 220 },
        }),
      ]),
    );
  });
});

describe('item 4: the confirming level is a policy parameter per region', () => {
  it('by default the township reviewer confirms; the county officer may not', async () => {
    const caseId = await submit('410721100');
    await toConfirm(caseId);
    expect(await task(caseId, 'confirm')).toMatchObject({ candidateRole: 'reviewer' });
    const byCounty = await complete(caseId, 'confirm', officer, 'APPROVED', { category: 'DIBAO', monthlyAmount: 220 });
    expect(byCounty.status).toBe(403);
    const ok = await complete(caseId, 'confirm', reviewer, 'APPROVED', { category: 'DIBAO', monthlyAmount: 220 });
    expect(ok.status).toBe(200);
    const detail = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: supervisor });
    expect(detail.body.decisions).toEqual([
      expect.objectContaining({ outcome: 'APPROVED', confirmingLevel: 'TOWNSHIP' }),
    ]);
  });

  it('a township whose policy says COUNTY: the county officer confirms, recorded with the decision', async () => {
    const p2025 = SEED_POLICY_VERSIONS.find((v) => v.id === '410721-2025-01')!;
    const added = await stack.call('POST', '/api/v1/policy-versions', {
      token: admin,
      body: {
        regionCode: COUNTY_CONFIRMS,
        effectiveFrom: '2025-01-01',
        parameters: { ...p2025.parameters, confirmingLevel: 'COUNTY' },
      },
    });
    expect([201, 409]).toContain(added.status);
    const caseId = await submit(COUNTY_CONFIRMS);
    await toConfirm(caseId, COUNTY_CONFIRMS);
    expect(await task(caseId, 'confirm')).toMatchObject({ candidateRole: 'county_officer' });
    expect(
      (
        await complete(caseId, 'confirm', stack.token('reviewer', COUNTY_CONFIRMS), 'APPROVED', {
          category: 'DIBAO',
          monthlyAmount: 220,
        })
      ).status,
    ).toBe(403);
    expect(
      (await complete(caseId, 'confirm', officer, 'APPROVED', { category: 'DIBAO', monthlyAmount: 220 })).status,
    ).toBe(200);
    const d = await stack.db('decisions').where({ case_id: caseId }).first('confirming_level', 'decided_by');
    expect(d.confirming_level).toBe('COUNTY');
  });
});

describe('item 10: a refusal notice is a proper document', () => {
  it('numbered per office and year, with legal basis, figures, address, telephone, seal; dated on issue', async () => {
    const refuse = async () => {
      const caseId = await submit(NOTICES);
      await toConfirm(caseId, NOTICES);
      const r = await complete(caseId, 'confirm', stack.token('reviewer', NOTICES), 'REFUSED', {
        reasons: ['家庭人均收入高于当地低保标准'],
        deviationReason: '入户核实有未申报的经营收入',
        effectiveOn: daysAgo(20),
      });
      expect(r.status).toBe(200);
      const notice = await until('the drafted notice', async () => {
        const d = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: stack.token('caseworker', NOTICES) });
        return d.body.notices?.[0];
      });
      return { caseId, notice };
    };
    const first = await refuse();
    const second = await refuse();
    const year = daysAgo(20).slice(0, 4);
    const no = (n: string) => Number(new RegExp(`^小冀镇民救〔${year}〕(\\d+)号$`).exec(n)?.[1]);
    expect(no(first.notice.noticeNo)).toBeGreaterThan(0);
    expect(no(second.notice.noticeNo)).toBe(no(first.notice.noticeNo) + 1);

    const draft = await pdfText(first.notice.id);
    for (const s of [
      first.notice.noticeNo,
      '法律依据：',
      '民发〔2021〕57号',
      '核算情况：家庭月人均收入200元，当地低保标准420元/人/月',
      '地址：新乡县小冀镇人民政府社会事务办公室',
      '联系电话：0373-0000000',
      '（印章）',
      '小冀镇人民政府',
      '签发日期：（草稿，未签发）',
    ])
      expect(draft).toContain(squash(s));

    // Issued later than decided: the notice carries the issue date.
    const issuedOn = daysAgo(15);
    expect(
      (
        await complete(first.caseId, 'refusalNotice', stack.token('caseworker', NOTICES), 'ISSUED', {
          effectiveOn: issuedOn,
        })
      ).status,
    ).toBe(200);
    const [y, m, d] = issuedOn.split('-').map(Number);
    const issued = await pdfText(first.notice.id);
    expect(issued).toContain(`${y}年${m}月${d}日`);
    expect(issued).not.toContain('草稿');
    const [dy, dm, dd] = daysAgo(20).split('-').map(Number);
    expect(issued).not.toContain(`${dy}年${dm}月${dd}日小冀镇`);
    const row = await stack.db('notices').where({ id: first.notice.id }).first('issued_on', 'office_code');
    expect(row).toMatchObject({ issued_on: issuedOn, office_code: NOTICES });
  });
});

describe('item 7: conference decisions reach a recipient', () => {
  it('a raised amount is paid from the next month’s roster', async () => {
    const caseId = await submit('410721100');
    await toConfirm(caseId);
    await complete(caseId, 'confirm', reviewer, 'APPROVED', {
      category: 'DIBAO',
      monthlyAmount: 220,
      effectiveOn: daysAgo(20),
    });
    const recipient: { id: string } = await until('the recipient', async () =>
      stack.db('recipients').where({ case_id: caseId }).whereNotNull('next_check_on').first('id'),
    );
    const posted = await stack.call('POST', `/api/v1/cases/${recipient.id}/escalations`, {
      token: officer,
      body: { reason: '大病支出远超标准', requestedBy: '县民政局', departments: ['HEALTH'] },
    });
    expect(posted.status).toBe(202);
    const conferenceId = posted.body.conferenceId;
    const opinion = (
      await stack.call('GET', `/api/v1/tasks?caseId=${conferenceId}&type=conferenceOpinion`, {
        token: departmentToken('HEALTH'),
      })
    ).body.items[0];
    await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(opinion.id)}/complete`, {
      token: departmentToken('HEALTH'),
      body: { outcome: 'GIVEN', data: { opinion: '建议提高' } },
    });
    const decided = await stack.call(
      'POST',
      `/api/v1/tasks/${encodeURIComponent(`${conferenceId}:caseConference:1`)}/complete`,
      {
        token: officer,
        body: { outcome: 'RAISE_AMOUNT', data: { raisedAmount: 600 } },
      },
    );
    expect(decided.status).toBe(200);
    const next = monthAfter(today);
    await until('the raised amount', async () =>
      stack.db('recipient_amounts').where({ recipient_id: recipient.id, from_month: next, amount: 600 }).first(),
    );
    const run = await stack.call('POST', '/api/v1/payments/roster-runs', { token: officer, body: { month: next } });
    expect(run.status).toBeLessThan(300);
    const line = await stack
      .db('payments')
      .where({ id: `monthly:${recipient.id}:${next}` })
      .first('amount');
    expect(Number(line.amount)).toBe(600);
    // This month is paid as before: the raise never reaches back.
    await stack.call('POST', '/api/v1/payments/roster-runs', { token: officer, body: { month: today.slice(0, 7) } });
    const now = await stack
      .db('payments')
      .where({ id: `monthly:${recipient.id}:${today.slice(0, 7)}` })
      .first('amount');
    expect(Number(now.amount)).toBe(220);
    const timeline = (await stack.call('GET', `/api/v1/cases/${recipient.id}`, { token: supervisor })).body.timeline;
    expect(timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['case.conferenceDecision', 'recipient.conferenceRaise']),
    );
  });

  it('POST /cases/:id/escalations answers once every invited department’s opinion task exists (5 of 5)', async () => {
    const departments: Department[] = ['HEALTH', 'EDUCATION', 'HUMAN_RESOURCES'];
    for (let i = 0; i < 5; i++) {
      const caseId = await submit('410721100');
      const posted = await stack.call('POST', `/api/v1/cases/${caseId}/escalations`, {
        token: officer,
        body: { reason: '情形复杂', requestedBy: '县民政局', departments },
      });
      expect(posted.status).toBe(202);
      // Read at once, no waiting: the answer came after the tasks were written.
      const tasks = await stack
        .db('tasks')
        .where({ case_id: posted.body.conferenceId, type: 'conferenceOpinion' })
        .select('department');
      expect(tasks.map((t) => t.department).sort()).toEqual([...departments].sort());
    }
  });
});

describe('item 9: 近亲属备案', () => {
  it('a close relative of a caseworker is registered and the county does the home visit', async () => {
    const caseId = await submit('410721103', {
      staffRelative: { staffRole: 'CASEWORKER', relation: '配偶', staffName: '李四' },
    });
    expect(
      (
        await complete(caseId, 'accept', stack.token('caseworker', '410721103'), 'ACCEPTED', {
          effectiveOn: daysAgo(38),
        })
      ).status,
    ).toBe(200);
    expect(await task(caseId, 'homeVisit')).toMatchObject({ candidateRole: 'county_officer' });
    expect(
      (
        await complete(caseId, 'homeVisit', stack.token('caseworker', '410721103'), 'DONE', {
          effectiveOn: daysAgo(35),
        })
      ).status,
    ).toBe(403);
    expect((await complete(caseId, 'homeVisit', officer, 'DONE', { effectiveOn: daysAgo(35) })).status).toBe(200);
    const detail = await stack.call('GET', `/api/v1/cases/${caseId}`, { token: supervisor });
    expect(detail.body.staffRelative).toMatchObject({ staffRole: 'CASEWORKER', relation: '配偶' });
    expect(JSON.stringify(detail.body.staffRelative)).not.toContain('李四');
    const row = await stack.db('staff_relative_registrations').where({ case_id: caseId }).first();
    expect(row).toMatchObject({ staff_role: 'CASEWORKER', staff_name: '李四', region_code: '410721103' });
    // An ordinary applicant's home visit stays with the township.
    const other = await submit('410721103');
    await complete(other, 'accept', stack.token('caseworker', '410721103'), 'ACCEPTED', { effectiveOn: daysAgo(38) });
    expect(await task(other, 'homeVisit')).toMatchObject({ candidateRole: 'caseworker' });
  });
});

describe('items 5 and 6: the operator sees the calendar; the summary tells on time from late', () => {
  it('/readyz lists the loaded years and warns from 1 December about next year', async () => {
    const r = await fetch(`${stack.baseUrl}/readyz`);
    const body = (await r.json()) as { calendar: { loadedYears: number[]; warnings: { year: number }[] } };
    expect(body.calendar.loadedYears).toEqual(expect.arrayContaining([2025, 2026]));
    const year = Number(today.slice(0, 4));
    if (today.slice(5) >= '12-01' && !body.calendar.loadedYears.includes(year + 1))
      expect(body.calendar.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ year: year + 1 })]));
  });

  it('tells the county supervisors once per missing year, however often the check runs', async () => {
    const now = Date.parse('2030-12-05T02:00:00Z'); // neither 2030 nor 2031 is loaded
    const first = await notifyMissingCalendarYears(stack.db, now);
    expect(first.warnings.map((w) => w.year)).toEqual([2030, 2031]);
    await notifyMissingCalendarYears(stack.db, now);
    const rows = await stack.db('notifications').where('id', 'like', 'calendar-missing:2031:%');
    expect(rows.map((r) => r.recipient)).toEqual(
      expect.arrayContaining(['role:supervisor@410721', 'supervisor@410721']),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.region_code === '410721')).toBe(true);
  });

  it('a back-dated case done on time on paper counts as met on time', async () => {
    const before = await summaryMet('410721104');
    const caseId = await submit('410721104');
    await toConfirm(caseId, '410721104');
    await complete(caseId, 'confirm', stack.token('reviewer', '410721104'), 'APPROVED', {
      category: 'DIBAO',
      monthlyAmount: 220,
      effectiveOn: daysAgo(25),
    });
    const deadlines = await until('settled deadlines', async () => {
      const rows = await stack.db('deadlines').where({ case_id: caseId });
      return rows.length === 3 && rows.every((d) => d.status === 'met') && rows;
    });
    expect(deadlines.map((d) => d.met_late)).toEqual([false, false, false]);
    const after = await summaryMet('410721104');
    expect(after.metOnTime - before.metOnTime).toBe(3);
    expect(after.metLate - before.metLate).toBe(0);
  });
});

async function summaryMet(township: string): Promise<{ metOnTime: number; metLate: number }> {
  const r = await stack.call('GET', `/api/v1/deadlines/summary?region=${township}`, { token: supervisor });
  const met = r.body.items.filter((i: { status: string }) => i.status === 'met');
  return {
    metOnTime: met.reduce((s: number, i: { metOnTime: number }) => s + i.metOnTime, 0),
    metLate: met.reduce((s: number, i: { metLate: number }) => s + i.metLate, 0),
  };
}
