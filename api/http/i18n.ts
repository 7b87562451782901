// Chinese beside every English error (api/errors.ts adds `messageZh`): per code, sharpened by the English message where
// one code covers several situations, and per zod issue in `details`. English `message` stays as it was, so
// clients that match on it keep working; the console shows `messageZh`.
import type { ZodError } from 'zod';
import { z } from 'zod';
import { FIELD_ZH } from '../../domain/glossary-zh';

const CODE_ZH: Record<string, string> = {
  BAD_REQUEST: '请求内容有误，请检查填写的信息',
  UNAUTHENTICATED: '未登录或登录已过期，请重新登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  FORBIDDEN: '超出您的角色或辖区权限',
  NOT_FOUND: '未找到（或不在您的辖区内）',
  CONFLICT: '与当前状态冲突',
  CASE_NOT_RUNNING: '该案件的办理流程已结束',
  TASK_NOT_FOUND: '该案件中没有这项任务',
  TASK_NOT_OPEN: '该任务已办结或已取消',
  WRONG_STATE: '案件当前所处环节不允许此操作',
  INVALID_COMPLETION: '办理结果或所填信息不符合要求',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '请以 UTF-8 编码的 JSON 提交',
  IDEMPOTENCY_IN_PROGRESS: '同一请求正在处理中，请稍后再试',
  TOO_MANY_REQUESTS: '尝试次数过多，请稍后再试',
  INTERNAL: '系统内部错误，请稍后再试',
  TEMPORAL_UNAVAILABLE: '流程引擎暂时不可用，已受理的内容不会丢失，请稍后重试',
  INVALID_DATE: '日期不正确',
  INVALID_ID_NUMBER: '身份证号码不正确',
  INVALID_PEOPLE: '家庭成员信息不一致',
  UNKNOWN_REGION: '不是本县的乡镇',
  IDEMPOTENCY_KEY_REUSED: '该幂等键已用于另一请求',
  ADVANCE_OVER_CAP: '先行救助金额超过上限',
  ATTACHMENT_TOO_LARGE: '附件过大（每个文件不超过 512 KB）',
  INVALID_ATTACHMENT: '附件无效（空文件）',
  UNKNOWN_ATTACHMENT: '附件未上传到本案件',
  NOT_ESCALATABLE: '一事一议案件不能再提请一事一议',
  NO_POLICY: '该地区没有生效的政策参数',
  NO_POLICY_IN_FORCE: '该地区没有生效的政策参数',
  INVALID_CALENDAR: '节假日安排前后矛盾',
  USERNAME_TAKEN: '用户名已存在',
  INVALID_USER: '用户信息不完整',
};

/** English messages that say more than their code, in the words a township office uses. First match wins. */
const MESSAGE_ZH: [RegExp, string][] = [
  [/claimed by someone else/, '该任务已被他人认领'],
  [/^task is completed/, '该任务已办结'],
  [/^task is cancelled/, '该任务已取消'],
  [/only a (\w+) can work on this task/, '您的角色不能办理此任务'],
  [/only the assignee or a supervisor can unclaim/, '只有认领人或督办人员可以退回认领'],
  [/is outside your region/, '该地区不在您的辖区内'],
  [/this needs one of the roles/, '您的角色无权进行此操作'],
  [/effectiveOn .* is in the future/, '办理日期不能晚于今天'],
  [/effectiveOn .* is before the previous act/, '办理日期不能早于上一环节的办理日期'],
  [/outcome \S+ is not allowed/, '该任务不允许此办理结果'],
  [/objections can be filed only during publicity/, '只能在公示期间提出异议'],
  [/already been extended once/, '办结时限已延长过一次'],
  [/the case is already decided/, '案件已作出决定'],
  [/opinions are awaited/, '尚有部门未提出意见，且意见期限未届满'],
  [/receivedOn is in the future/, '申请日期不能晚于今天'],
  [/missing bearer token/, '未登录，请先登录'],
  [/invalid or expired token/, '登录已过期，请重新登录'],
  [/unknown or revoked API key/, 'API 密钥无效或已停用'],
  [/malformed JSON body/, '请求内容不是有效的 JSON'],
  [/no such route/, '没有这个接口'],
  [/contains a NUL character/, '内容含有不允许的空字符（NUL）'],
  [/malformed percent-encoding/, '网址编码有误'],
  [/this case has no such step/, '该案件没有这个办理环节'],
  [/departs from the assessment/, '审批结果与系统评估不一致，须填写理由（deviationReason）'],
  [/raised the amount to/, '一事一议已提高救助金额，批准金额不得低于该金额'],
  [/differs from the advance recorded/, '已发放金额与先行救助记录不一致'],
  [/an objection needs a reason|an extension needs a recorded reason/, '须填写理由'],
  [/^data for \S+ \S+ is invalid/, '所填信息不符合要求'],
  [/a (\w+) may not complete a/, '您的角色不能办理此任务'],
  [/does not belong to this case/, '该案件中没有这项任务'],
];

export function errorMessageZh(code: string, message: string): string {
  for (const [re, zh] of MESSAGE_ZH) if (re.test(message)) return zh;
  return CODE_ZH[code] ?? '请求未能完成';
}

const zhCN = z.locales.zhCN().localeError;

/** A field path in Chinese: 'people.0.idNumber' → '第1项 · idNumber' with the field's Chinese name. */
export function pathZh(path: string): string {
  return path
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `第${Number(p) + 1}项` : (FIELD_ZH[p] ?? p)))
    .join(' · ');
}

/** Issue details for an answer: path and English message as before, plus the Chinese. */
export function zodDetailsZh(err: ZodError): { path: string; message: string; messageZh: string }[] {
  return err.issues.map((i) => {
    // Custom refinements carry their own English message; zod's Chinese locale has only the generic wording for them.
    const generic = i.code === 'custom' ? '内容不符合要求' : zhCN(i as never);
    const zh = typeof generic === 'string' ? generic : (generic?.message ?? '内容不符合要求');
    const path = i.path.join('.');
    return { path, message: i.message, messageZh: path ? `${pathZh(path)}：${zh}` : zh };
  });
}
