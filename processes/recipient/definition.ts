// A recipient household over the years (docs/policy.md §4): annual recheck, periodic checks, checks of reported
// changes, and termination with its written notice. The policy sets no number for the checks; these are the county's
// working defaults (docs/policy.md §4, Choice), changed here with a patched() guard if open checks must keep theirs.
import { defineProcess, lazyTaskSchemas } from '../../engine/definition';
import type * as Schemas from './schemas';

// Required on a completion's first validation, not when a workflow loads this module (engine/definition.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S = lazyTaskSchemas(() => (require('./schemas') as typeof Schemas).RECIPIENT_TASK_SCHEMAS);

export const recipientProcess = defineProcess({
  name: 'recipient',
  label: '救助对象',
  /** One recipient workflow per recipient household; the id carries no personal data. */
  workflowId: (recipientId: string) => `recipient-${recipientId}`,
  tasks: {
    annualRecheck: { label: '年度复核', candidateRole: 'caseworker', outcomes: S('annualRecheck') },
    periodicCheck: { label: '定期核查', candidateRole: 'caseworker', outcomes: S('periodicCheck') },
    changeReport: { label: '家庭状况变化核查', candidateRole: 'caseworker', outcomes: S('changeReport') },
    terminate: { label: '终止救助书面告知', candidateRole: 'caseworker', outcomes: S('terminate') },
  },
  deadlines: {
    annualRecheck: { label: '年度复核时限', startsFrom: 'the anniversary of the determination', workingDays: 20 },
    periodicCheck: { label: '定期核查时限', startsFrom: 'the periodic due date', workingDays: 20 },
    changeCheck: { label: '变化核查时限', startsFrom: 'the report (or an 18th birthday)', workingDays: 10 },
    terminationNotice: { label: '终止告知时限', startsFrom: 'the termination', workingDays: 3 },
  },
  statuses: ['ACTIVE', 'IN_CHECK', 'TERMINATED'],
  steps: ['annualRecheck', 'periodicCheck', 'changeReport', 'publicity', 'terminate'],
  bpmn: 'recipient.bpmn',
});

/** TEKUN terminations are publicised first, in calendar days (docs/policy.md §4). */
export const TEKUN_TERMINATION_PUBLICITY_CALENDAR_DAYS = 7;

/** Roles that may report a change in the household (docs/policy.md §4). */
export const CHANGE_REPORTERS = ['caseworker', 'village_assistant', 'integrator', 'admin'] as const;

export type RecipientStep = (typeof recipientProcess.steps)[number];
