// The console's pure modules (web/src): ID-number verdicts in Chinese on the vectors of idNumber.test.ts, dates as
// people read them, urgency colours, finished diagram steps, the assessment in Chinese; and the API's Chinese errors.
import { checkIdNumber } from '../../web/src/components/idNumberZh';
import { formatDate, formatMonth } from '../../web/src/format';
import { urgency } from '../../web/src/urgency';
import { finishedSteps } from '../../web/src/case/steps';
import { explainCriterion } from '../../web/src/case/criteria';
import { reasonZh } from '../../web/src/case/timeline';
import { errorMessageZh, pathZh } from '../../api/http/i18n';
import { assessHousehold } from '../../domain/assessment';
import { checkCharacter } from '../../domain/idNumber';
import { SEED_POLICY_VERSIONS, policyInForce } from '../../domain/policy';
import { singlePersonApplication } from '../support/fixtures';

const withCheck = (first17: string) => first17 + checkCharacter(first17);

describe('ID numbers as the console checks them while typing', () => {
  it.each([
    ['', '身份证号应为18位，当前0位'],
    ['410721800101123', '身份证号应为18位，当前15位（不接受15位旧号码）'],
    ['4107A1198001011231', '第5位应为数字'],
    ['41072119800101123Y', '第18位应为数字或X'],
    [withCheck('99072119800101123'), '前两位不是有效的省级行政区划代码'],
    [withCheck('41072119490231123'), '出生日期（第7–14位）不是有效日期'],
    [withCheck('41072118991231123'), '出生年份早于1900年'],
    [withCheck('41072121000101123'), '出生日期晚于今天'],
    ['410721198001011232', '校验码不正确（应为 1）'],
  ])('%j → %s', (input, zh) => {
    expect(checkIdNumber(input)).toMatchObject({ valid: false, messageZh: zh });
  });

  it('accepts the GB 11643 example and a Xinxiang County number', () => {
    expect(checkIdNumber('11010519491231002X')).toMatchObject({ valid: true, birthDate: '1949-12-31', sex: 'F' });
    expect(checkIdNumber('410721198001011231')).toMatchObject({ valid: true, sex: 'M' });
  });
});

describe('dates, money months and urgency', () => {
  it('writes dates the Chinese way, instants on the Shanghai calendar', () => {
    expect(formatDate('2026-10-10')).toBe('2026年10月10日');
    expect(formatDate('2026-10-10T15:59:59.999Z')).toBe('2026年10月10日');
    expect(formatDate('2026-10-10T16:00:00.000Z')).toBe('2026年10月11日');
    expect(formatDate(null)).toBe('—');
    expect(formatMonth('2026-03')).toBe('2026年3月');
  });

  it('colours by working days left', () => {
    expect(urgency(-2)).toMatchObject({ level: 'overdue', text: '已超期 2 个工作日', color: 'red' });
    expect(urgency(0).level).toBe('today');
    expect(urgency(2).level).toBe('soon');
    expect(urgency(3).level).toBe('ok');
    expect(urgency(null).text).toBe('无时限');
  });
});

describe('the case page', () => {
  const task = (type: string, status: string) => ({ type, status }) as never;

  it("marks finished steps from completed tasks and the automatic steps' traces, never an active one", () => {
    const c = {
      process: 'application',
      status: 'AWAITING_DECISION',
      activeSteps: ['confirm'],
      assessment: {} as never,
      timeline: [],
      tasks: [
        task('accept', 'COMPLETED'),
        task('homeVisit', 'COMPLETED'),
        task('economicCheck', 'COMPLETED'),
        task('firstReview', 'COMPLETED'),
        task('confirm', 'OPEN'),
      ],
    };
    expect(finishedSteps(c).sort()).toEqual([
      'accept',
      'assess',
      'economicCheck',
      'firstReview',
      'homeVisit',
      'publicity',
      'submit',
    ]);
    expect(finishedSteps({ ...c, activeSteps: ['publicity'], tasks: c.tasks.slice(0, 4) })).not.toContain('publicity');
  });

  it('explains every criterion of a real assessment in Chinese', () => {
    const app = singlePersonApplication();
    const a = assessHousehold(
      app.household,
      '2026-10-01',
      policyInForce(SEED_POLICY_VERSIONS, '410721', '2026-10-01')!,
    );
    const lines = a.criteria.map((c) => explainCriterion(c, (m) => (m === 'm1' ? '王秀英' : m)));
    expect(lines[0]).toBe('家庭月人均收入 200.00 元（计入收入 200.00 元 ÷ 1 人）低于低保标准 420.00 元');
    expect(lines.join('\n')).toContain('成员王秀英（51 周岁）有劳动能力');
    // None fell back to the English description.
    for (const [i, line] of lines.entries()) expect(line).not.toBe(a.criteria[i].description);
  });

  it("words the system's own reasons in Chinese", () => {
    expect(reasonZh('still overdue 2 working days after 2026-11-06')).toBe('到期（2026-11-06）后 2 个工作日仍未办结');
    expect(reasonZh('村民反映')).toBe('村民反映');
  });
});

describe('Chinese error messages of the API', () => {
  it('sharpens a code by its English message, and falls back to the code', () => {
    expect(errorMessageZh('CONFLICT', 'task is claimed by someone else')).toBe('该任务已被他人认领');
    expect(errorMessageZh('FORBIDDEN', 'region 410721101 is outside your region 410721100')).toBe(
      '该地区不在您的辖区内',
    );
    expect(errorMessageZh('TASK_NOT_OPEN', 'whatever')).toBe('该任务已办结或已取消');
    expect(errorMessageZh('SOMETHING_NEW', 'x')).toBe('请求未能完成');
  });

  it('names fields in Chinese', () => {
    expect(pathZh('people.0.idNumber')).toBe('people · 第1项 · idNumber');
    expect(pathZh('household.members.1.birthDate')).toBe('核实后的家庭经济状况 · 家庭成员 · 第2项 · 出生日期');
  });
});
