// The application (认定) process: submit → accept → homeVisit ∥ economicCheck → assess → firstReview → publicity →
// confirm → enrol | refusalNotice (docs/policy.md §2; plan 一(二), 四(一)).
import { defineProcess, lazyTaskSchemas } from '../../engine/definition';
import type * as Schemas from './schemas';

// Required on a completion's first validation, not when a workflow loads this module (engine/definition.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S = lazyTaskSchemas(() => (require('./schemas') as typeof Schemas).APPLICATION_TASK_SCHEMAS);

export const applicationProcess = defineProcess({
  name: 'application',
  label: '低保特困认定申请',
  workflowId: (caseId: string) => `application-${caseId}`,
  tasks: {
    accept: { label: '受理', candidateRole: 'caseworker', outcomes: S('accept') },
    homeVisit: { label: '入户调查', candidateRole: 'caseworker', outcomes: S('homeVisit') },
    economicCheck: { label: '家庭经济状况核对', candidateRole: 'caseworker', outcomes: S('economicCheck') },
    firstReview: { label: '初审', candidateRole: 'reviewer', outcomes: S('firstReview') },
    confirm: { label: '审核确认', candidateRole: 'county_officer', outcomes: S('confirm') },
    refusalNotice: { label: '不予认定书面告知', candidateRole: 'caseworker', outcomes: S('refusalNotice') },
  },
  deadlines: {
    firstReviewOpinion: { label: '初审意见时限', startsFrom: 'acceptance', workingDays: 10 },
    confirmation: { label: '确认时限', startsFrom: 'the end of publicity', workingDays: 10 },
    wholeCase: { label: '办理总时限', startsFrom: 'acceptance', workingDays: 30 },
    refusalNotice: { label: '书面告知时限', startsFrom: 'the refusal decision', workingDays: 3 },
  },
  statuses: ['SUBMITTED', 'RETURNED', 'IN_REVIEW', 'IN_PUBLICITY', 'AWAITING_DECISION', 'APPROVED', 'REFUSED'],
  steps: [
    'submit',
    'accept',
    'homeVisit',
    'economicCheck',
    'assess',
    'firstReview',
    'publicity',
    'confirm',
    'enrol',
    'refusalNotice',
  ],
  bpmn: 'application.bpmn',
});

/** The periods that are not deadlines of their own (docs/policy.md §2). */
export const APPLICATION_LIMITS = {
  /** The whole-case limit may be extended once, with a recorded reason. */
  wholeCaseExtensionWorkingDays: 15,
  /** Publicity of the first-review opinion after posting (plan 一(二): 公示7天); ends at 23:59:59 of its last day. */
  publicity: { label: '公示期', calendarDays: 7 },
} as const;

export type ApplicationStep = (typeof applicationProcess.steps)[number];
