// The audit trail of a case in the words of the office: what happened, by whom.
import { OUTCOME_ZH, TASK_TYPE_ZH, DEADLINE_KIND_ZH } from '../../../domain/glossary-zh';
import type { CaseDetail } from '../api/types';

const ACTION_ZH: Record<string, string> = {
  'case.submit': '提交申请', 'task.complete': '办结任务', 'task.cancel': '任务取消', 'task.claim': '认领任务', 'task.unclaim': '退回认领',
  'decision.approved': '审批通过', 'decision.refused': '不予批准', 'recipient.enrol': '纳入保障', 'household.verify': '核实家庭经济状况',
  'deadline.overdue': '时限超期', 'deadline.escalate': '超期上报县级督办', 'deadline.met': '时限内办结', 'deadline.cancelled': '时限取消',
  'notice.issue': '告知书送达', 'notice.draft': '生成告知书', 'case.objection': '公示期异议', 'case.extend': '延长办结时限', 'case.change-report': '报告家庭状况变化',
  'case.conferenceDecision': '一事一议决定', 'conference.request': '提请一事一议', 'emergency.report': '报告急难情况', 'emergency.justify': '补充说明',
};

type Entry = CaseDetail['timeline'][number];

export function describeEntry(e: Entry): string {
  const base = ACTION_ZH[e.action] ?? e.action;
  const after = (e.after ?? {}) as Record<string, unknown>;
  if (e.entity === 'task' && e.entityId) {
    const type = e.entityId.split(':')[1] ?? '';
    const outcome = typeof after.outcome === 'string' ? `：${OUTCOME_ZH[after.outcome] ?? after.outcome}` : '';
    return `${base}「${TASK_TYPE_ZH[type] ?? type}」${outcome}`;
  }
  if (e.entity === 'deadline' && e.entityId) {
    const kind = e.entityId.split(':')[1] ?? '';
    return `${base}「${DEADLINE_KIND_ZH[kind] ?? kind}」`;
  }
  return base;
}

export const actorZh = (actor: string) => (actor === 'system' || actor.startsWith('system') ? '系统' : actor);

/** Reasons the system writes in English, in Chinese; a person's own reason stays as written. */
export function reasonZh(reason: string | null): string | null {
  if (!reason) return null;
  const late = /^still overdue (\d+) working days after (\d{4}-\d{2}-\d{2})$/.exec(reason);
  if (late) return `到期（${late[2]}）后 ${late[1]} 个工作日仍未办结`;
  const verified = /^verified in (.+)$/.exec(reason);
  if (verified) return '依据调查核实结果';
  return reason;
}
