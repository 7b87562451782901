// The GB 11643 check of domain/idNumber.ts (the same code the API runs), with its verdict in Chinese.
import { parseIdNumber, IdNumberResult } from '../../../domain/idNumber';
import { todayShanghai } from '../format';

const PROBLEM_ZH: Record<string, (m: string) => string> = {
  LENGTH: (m) => `身份证号应为18位，当前${/got (\d+)/.exec(m)?.[1] ?? ''}位${/15-digit/.test(m) ? '（不接受15位旧号码）' : ''}`,
  FORMAT: (m) => (/18th/.test(m) ? '第18位应为数字或X' : `第${/^(\d+)/.exec(m)?.[1] ?? ''}位应为数字`),
  REGION: () => '前两位不是有效的省级行政区划代码',
  BIRTH_DATE: (m) => (/after today/.test(m) ? '出生日期晚于今天' : /before 1900/.test(m) ? '出生年份早于1900年' : '出生日期（第7–14位）不是有效日期'),
  CHECK_CHARACTER: (m) => `校验码不正确（应为 ${/should be (\w)/.exec(m)?.[1] ?? ''}）`,
};

export type IdCheck = IdNumberResult & { messageZh?: string };

export function checkIdNumber(raw: string): IdCheck {
  const r = parseIdNumber(raw, { today: todayShanghai() });
  return r.valid ? r : { ...r, messageZh: PROBLEM_ZH[r.problem](r.message) };
}
