// A warning is a case (预警处置, docs/policy.md §7.3; docs/monitoring.md): the township verifies it within a time
// limit on the escalation ladder, then handles it by its class — implements or transfers, pushes to departments (a
// task each, with a feedback deadline), starts an application, opens a case conference or starts a recipient check —
// and closes it with an outcome and a reason.
import { defineProcess, lazyTaskSchemas } from '../../engine/definition';
import type * as Schemas from './schemas';

// Required on a completion's first validation, not when a workflow loads this module (engine/definition.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S = lazyTaskSchemas(() => (require('./schemas') as typeof Schemas).WARNING_TASK_SCHEMAS);

export const WARNING_LIMITS = {
  // Choice (docs/monitoring.md): the plan names no number; the county's working default.
  warningVerification: { label: '预警核实时限', startsFrom: 'the warning', workingDays: 5 },
  departmentFeedback: { label: '部门反馈时限', startsFrom: 'the push', workingDays: 10 },
} as const;

export const warningProcess = defineProcess({
  name: 'warning',
  label: '预警处置',
  workflowId: (warningId: string) => `warning-${warningId}`,
  tasks: {
    warningVerification: { label: '预警核实', candidateRole: 'caseworker', outcomes: S('warningVerification') },
    departmentFeedback: { label: '部门核查反馈', candidateRole: 'department', outcomes: S('departmentFeedback') },
  },
  deadlines: WARNING_LIMITS,
  statuses: ['RAISED', 'HANDLING', 'CLOSED', 'DISMISSED'],
  steps: [
    'warningVerification',
    'departmentFeedback',
    'openApplication',
    'caseConference',
    'recipientCheck',
    'closeWarning',
  ],
  bpmn: 'warning.bpmn',
});

export type WarningStep = (typeof warningProcess.steps)[number];
