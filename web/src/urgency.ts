// Colour and words for how soon a task or deadline is due, in working days (the policy's own unit).

export interface Urgency { color: string; text: string; level: 'overdue' | 'today' | 'soon' | 'ok' | 'none' }

export function urgency(workingDaysLeft: number | null | undefined): Urgency {
  if (workingDaysLeft == null) return { color: 'default', text: '无时限', level: 'none' };
  if (workingDaysLeft < 0) return { color: 'red', text: `已超期 ${-workingDaysLeft} 个工作日`, level: 'overdue' };
  if (workingDaysLeft === 0) return { color: 'volcano', text: '今日到期', level: 'today' };
  if (workingDaysLeft <= 2) return { color: 'orange', text: `剩余 ${workingDaysLeft} 个工作日`, level: 'soon' };
  return { color: 'green', text: `剩余 ${workingDaysLeft} 个工作日`, level: 'ok' };
}
