// The escalation ladder of one deadline (workflows/lib/deadline.ts): due → overdue, township supervisors told (1) →
// still open after the grace period, county supervisors told (2).
import { Steps } from 'antd';
import type { Deadline } from '../api/types';

export function EscalationLadder({ deadline, compact }: { deadline: Deadline; compact?: boolean }) {
  const level = deadline.escalationLevel;
  const settled = deadline.status === 'met' || deadline.status === 'cancelled';
  if (compact) {
    const text = level >= 2 ? '已上报县级督办' : level === 1 ? '乡镇督办' : settled ? '—' : '未触发';
    return <span data-escalation={level}>{text}</span>;
  }
  return (
    <Steps size="small" current={Math.min(level, 2)} status={deadline.status === 'overdue' ? 'error' : settled ? 'finish' : 'process'} data-escalation={level}
      items={[{ title: '期限内' }, { title: '超期 · 乡镇督办' }, { title: '县级督办' }]} />
  );
}
