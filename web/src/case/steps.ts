// Which steps of a case's diagram are finished. The workflow reports only the active ones; the finished ones follow
// from the record: completed tasks are their steps, and the automatic steps leave their own traces.
import type { CaseDetail } from '../api/types';

export function finishedSteps(c: Pick<CaseDetail, 'tasks' | 'assessment' | 'timeline' | 'activeSteps' | 'status' | 'process'>): string[] {
  const done = new Set<string>(['submit']);
  for (const t of c.tasks) if (t.status === 'COMPLETED') done.add(t.type);
  if (c.assessment) done.add('assess');
  // Publicity is over once the decision task exists (or the case is decided) and no objection reopened it.
  if (c.tasks.some((t) => t.type === 'confirm') && !c.activeSteps.includes('publicity')) done.add('publicity');
  if (c.timeline.some((e) => e.action === 'recipient.enrol')) done.add('enrol');
  if (c.process === 'emergency') done.add('emergencyAdvance');
  for (const a of c.activeSteps) done.delete(a);
  return [...done];
}
