// The console in real Chromium against the real stack (PostgreSQL, Temporal dev server, the API serving the built
// bundle): an application from the caseworker's form to the county officer's approval, each step done in the
// console by the role it belongs to, the diagram showing the right active step at each stage; the supervisor's
// dashboard with an overdue refusal notice; another township's caseworker kept out of the case.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, Stack } from '../support/stack';
import { launchChromium, screenshot } from '../support/browser';
import { idNumber, singlePersonApplication } from '../support/fixtures';
import { createUser } from '../../data/users';
import { ensureWebBundle } from '../../scripts/lib/web-bundle';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';

jest.setTimeout(180_000);

const PASSWORD = 'browser-test-password';
const USERS = {
  cw: { username: 'b-caseworker', name: '浏览器经办人', role: 'caseworker', regionCode: '410721100' },
  rv: { username: 'b-reviewer', name: '浏览器审核人', role: 'reviewer', regionCode: '410721100' },
  co: { username: 'b-officer', name: '浏览器审批人', role: 'county_officer', regionCode: '410721' },
  sv: { username: 'b-supervisor', name: '浏览器督办', role: 'supervisor', regionCode: '410721' },
  other: { username: 'b-caseworker-101', name: '朗公庙镇经办人', role: 'caseworker', regionCode: '410721101' },
  admin: { username: 'b-admin', name: '浏览器管理员', role: 'admin', regionCode: '410721' },
} as const;

const APPLICANT = '赵春梅';
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const today = shanghaiDate(Date.now());
const daysAgo = (n: number) => addCalendarDays(today, -n);

beforeAll(async () => {
  await ensureWebBundle();
  stack = await startStack();
  await stack
    .db('users')
    .whereIn(
      'username',
      Object.values(USERS).map((u) => u.username),
    )
    .del();
  for (const u of Object.values(USERS)) await createUser(stack.db, { ...u, password: PASSWORD });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

async function signIn(who: keyof typeof USERS): Promise<void> {
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel('用户名').fill(USERS[who].username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('who').filter({ hasText: USERS[who].name }).waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await page.getByLabel('用户名').waitFor();
}

async function fillDate(label: string | RegExp, date: string): Promise<void> {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(date);
  // Tab, not Enter: Enter would submit the form around the picker.
  await input.press('Tab');
  await expect(input.inputValue()).resolves.toBe(
    `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8))}日`,
  );
}

/** Opens the inbox, finds the case's task of this kind, claims it and completes it through the generated form. */
async function completeInInbox(
  caseId: string,
  taskName: string,
  outcome: string,
  fill?: () => Promise<void>,
  shot?: string,
): Promise<void> {
  await page.goto(`${stack.baseUrl}/inbox`);
  await page.getByTestId('inbox-total').waitFor();
  // Other tests' tasks share the township: narrow the inbox to this applicant, as a caseworker would.
  await page.getByLabel('筛选待办').fill(APPLICANT);
  const row = page.locator('tr', { has: page.locator(`a[href="/cases/${caseId}"]`) }).filter({ hasText: taskName });
  await row.waitFor();
  await row.getByRole('button', { name: /认\s*领/ }).click();
  await row.getByText('我', { exact: true }).waitFor();
  await row.getByRole('button', { name: /办\s*理/ }).click();
  const drawer = page.getByTestId('task-form');
  await drawer.waitFor();
  await drawer.locator('.ant-radio-button-wrapper', { hasText: new RegExp(`^${outcome}$`) }).click();
  if (fill) await fill();
  if (shot) await screenshot(page, shot);
  await drawer.getByRole('button', { name: /提\s*交/ }).click();
  await drawer.waitFor({ state: 'detached' });
}

async function expectActiveSteps(caseId: string, steps: string[], shot: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/cases/${caseId}`);
  const diagram = page.getByTestId('bpmn');
  await diagram.and(page.locator('[data-ready="true"]')).waitFor();
  expect((await diagram.getAttribute('data-active-steps'))!.split(',').filter(Boolean).sort()).toEqual(
    [...steps].sort(),
  );
  for (const step of steps) expect(await diagram.locator(`g.doudi-active[data-element-id="${step}"]`).count()).toBe(1);
  await screenshot(page, shot);
}

describe('the console', () => {
  let approvedCaseId: string;

  it("takes an application from the caseworker's form to approval, the diagram following each step", async () => {
    await signIn('cw');
    await page.getByTestId('inbox-total').waitFor();
    await screenshot(page, '01-inbox-caseworker');
    await page.goto(`${stack.baseUrl}/applications/new`);
    const form = page.getByTestId('application-form');
    await form.getByLabel('姓名').fill(APPLICANT);
    const id = idNumber('1975-06-15', 'F');
    const idInput = form.getByLabel('身份证号');
    await idInput.fill(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'));
    await expect(form.getByTestId('id-check').textContent()).resolves.toContain('校验码不正确');
    await idInput.fill(id);
    await expect(form.getByTestId('id-check').textContent()).resolves.toContain(
      '校验通过：出生日期 1975年6月15日 · 女',
    );
    await form.getByLabel('劳动能力').click();
    await page.locator('.ant-select-item-option', { hasText: '部分劳动能力' }).click();
    await fillDate(/申请日期/, daysAgo(40));
    await form.getByRole('button', { name: '添加收入' }).click();
    await form.getByLabel('月收入（元）').fill('200');
    await form.getByLabel('存款（元）').fill('1000');
    await screenshot(page, '02-new-application');
    await form.getByRole('button', { name: /提交申请/ }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = page.url().split('/').pop()!;
    approvedCaseId = caseId;
    await expectActiveSteps(caseId, ['accept'], '03-case-submitted');

    await completeInInbox(caseId, '受理', '予以受理', () => fillDate(/办理日期/, daysAgo(38)), '04-task-accept');
    await expectActiveSteps(caseId, ['homeVisit', 'economicCheck'], '05-case-investigation');
    await completeInInbox(caseId, '入户调查', '已完成', async () => {
      await fillDate(/办理日期/, daysAgo(35));
      await page.getByLabel('调查情况').fill('入户核实，家庭情况属实');
    });
    await expectActiveSteps(caseId, ['economicCheck'], '06-case-economic-check');
    await completeInInbox(caseId, '家庭经济状况核对', '已完成', () => fillDate(/办理日期/, daysAgo(35)));
    await expectActiveSteps(caseId, ['firstReview'], '07-case-first-review');
    // The assessment is explained criterion by criterion in Chinese.
    await expect(page.getByTestId('assessment').textContent()).resolves.toContain(
      '家庭月人均收入 200.00 元（计入收入 200.00 元 ÷ 1 人）低于低保标准',
    );
    await signOut();

    await signIn('rv');
    await completeInInbox(caseId, '初审', '建议批准', () => fillDate(/办理日期/, daysAgo(30)), '08-task-first-review');
    await expectActiveSteps(caseId, ['confirm'], '09-case-confirm');
    await signOut();

    // The township's reviewer confirms (confirmingLevel TOWNSHIP, the default: docs/policy.md §2.1).
    await signIn('rv');
    await page.getByTestId('inbox-total').waitFor();
    await screenshot(page, '10-inbox-county-officer');
    await completeInInbox(
      caseId,
      '审核确认',
      '批准',
      async () => {
        // Category and amount start from the assessment.
        await page.locator('#data_monthlyAmount[value="220.00"]').waitFor();
        await expect(page.getByLabel('救助类别').textContent()).resolves.toBeDefined();
      },
      '11-task-confirm',
    );
    await expectActiveSteps(caseId, [], '12-case-approved');
    await expect(page.getByTestId('case-status').textContent()).resolves.toBe('已批准');
    const diagram = page.getByTestId('bpmn');
    for (const step of ['accept', 'homeVisit', 'economicCheck', 'firstReview', 'confirm', 'enrol']) {
      expect(await diagram.locator(`g.doudi-done[data-element-id="${step}"]`).count()).toBe(1);
    }
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('纳入保障');
  });

  it('shows the supervisor an overdue refusal notice on the dashboard, with its escalation ladder', async () => {
    const cw = stack.token('caseworker');
    const submitted = await stack.call('POST', '/api/v1/applications', {
      token: cw,
      body: singlePersonApplication({ receivedOn: daysAgo(60) }),
    });
    const caseId = submitted.body.caseId as string;
    const complete = async (type: string, token: string, outcome: string, data: Record<string, unknown>) => {
      for (let i = 0; i < 50; i++) {
        const t = (
          await stack.call('GET', `/api/v1/tasks?caseId=${caseId}&type=${type}`, {
            token: stack.token('supervisor', '410721'),
          })
        ).body.items[0];
        if (t)
          return expect(
            (
              await stack.call('POST', `/api/v1/tasks/${encodeURIComponent(t.id)}/complete`, {
                token,
                body: { outcome, data },
              })
            ).status,
          ).toBe(200);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no ${type} task`);
    };
    await complete('accept', cw, 'ACCEPTED', { effectiveOn: daysAgo(58) });
    await complete('homeVisit', cw, 'DONE', { effectiveOn: daysAgo(55) });
    await complete('economicCheck', cw, 'DONE', { effectiveOn: daysAgo(55) });
    await complete('firstReview', stack.token('reviewer'), 'RECOMMEND_REFUSAL', { effectiveOn: daysAgo(50) });
    // Refused 20 days ago: the 3-working-day notice limit is long past.
    await complete('confirm', stack.token('reviewer'), 'REFUSED', {
      reasons: ['家庭人均收入高于当地低保标准'],
      deviationReason: '入户核实有未申报的经营收入',
      effectiveOn: daysAgo(20),
    });
    for (let i = 0; i < 100; i++) {
      const d = await stack.db('deadlines').where({ case_id: caseId, kind: 'refusalNotice' }).first('status');
      if (d?.status === 'overdue') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    await signIn('sv');
    await page.waitForURL(/\/dashboard$/);
    const overdue = page.getByTestId('overdue-list');
    const row = overdue.locator('tr', { has: page.locator(`a[href="/cases/${caseId}"]`) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/书面告知时限.*七里营镇.*已超期/);
    expect(await row.locator('[data-escalation]').getAttribute('data-escalation')).not.toBe('0');
    await page.getByTestId('chart-townships').locator('canvas').waitFor();
    await page.getByTestId('monitoring-warnings').waitFor();
    await screenshot(page, '13-dashboard-supervisor');

    // The notice itself, as the caseworker previews it.
    await signOut();
    await signIn('cw');
    await page.goto(`${stack.baseUrl}/cases/${caseId}`);
    await page.getByRole('button', { name: '预览 PDF' }).click();
    await page.getByTestId('notice-pdf').waitFor();
    await screenshot(page, '14-case-refusal-notice');
  });

  it('keeps a caseworker of another township out of the case', async () => {
    await signIn('other');
    await page.goto(`${stack.baseUrl}/cases/${approvedCaseId}`);
    await expect(page.getByTestId('case-error').textContent()).resolves.toContain('不在您的辖区内');
    await screenshot(page, '15-case-other-township');
    await page.goto(`${stack.baseUrl}/inbox`);
    await page.getByTestId('inbox-total').waitFor();
    expect(await page.locator(`a[href="/cases/${approvedCaseId}"]`).count()).toBe(0);

    // A session that has run out sends the person back to the sign-in page.
    await page.evaluate(
      `(() => { const s = JSON.parse(sessionStorage.getItem('doudi.session')); ` +
        `s.expiresAt = new Date(0).toISOString(); ` +
        `sessionStorage.setItem('doudi.session', JSON.stringify(s)); })()`,
    );
    await page.reload();
    await page.getByLabel('用户名').waitFor();
    expect(page.url()).toMatch(/\/login$/);
  });

  it('shows recipients, the roster, the emergency form and user administration', async () => {
    await signIn('admin');
    await page.goto(`${stack.baseUrl}/recipients`);
    await page.locator('[data-testid="recipients"] tr.ant-table-row').first().waitFor();
    await screenshot(page, '16-recipients');
    await page.goto(`${stack.baseUrl}/roster`);
    await page.getByTestId('roster-xlsx').waitFor();
    await screenshot(page, '17-roster');
    await page.goto(`${stack.baseUrl}/emergencies/new`);
    await page.getByTestId('emergency-form').waitFor();
    await screenshot(page, '18-emergency');
    await page.goto(`${stack.baseUrl}/users`);
    await page.getByText(USERS.other.username).waitFor();
    await screenshot(page, '19-users');
  });
});
