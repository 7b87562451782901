// One-case-one-discussion (一事一议, docs/policy.md §6; plan 二(四), 三(三), 四(二)): each invited department gives an
// opinion by a deadline; the chair (county officer) decides once every opinion is in or the opinion deadline passed.
import { defineProcess, lazyTaskSchemas } from '../../engine/definition';
import type * as Schemas from './schemas';

// Required on a completion's first validation, not when a workflow loads this module (engine/definition.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S = lazyTaskSchemas(() => (require('./schemas') as typeof Schemas).CONFERENCE_TASK_SCHEMAS);

export const caseConferenceProcess = defineProcess({
  name: 'caseConference',
  label: '一事一议',
  workflowId: (conferenceId: string) => `caseConference-${conferenceId}`,
  tasks: {
    conferenceOpinion: { label: '部门意见', candidateRole: 'department', outcomes: S('conferenceOpinion') },
    caseConference: { label: '一事一议决定', candidateRole: 'county_officer', outcomes: S('caseConference') },
    // DEPARTMENT_TAKES_OVER: the department named in the decision reports what it did (docs/policy.md §6.4).
    departmentTakeover: { label: '部门接办反馈', candidateRole: 'department', outcomes: S('departmentTakeover') },
  },
  // The policy names no numbers: the county's working defaults (docs/policy.md §6.3, Choice).
  deadlines: {
    // Overridable per request (opinionWorkingDays).
    conferenceOpinion: { label: '部门意见时限', startsFrom: 'the request', workingDays: 5 },
    // After the opinion deadline; the deadline counts opinion + decision days from the request.
    conferenceDecision: { label: '一事一议决定时限', startsFrom: 'the opinion deadline', workingDays: 5 },
    departmentTakeover: { label: '部门接办反馈时限', startsFrom: 'the decision', workingDays: 10 },
  },
  statuses: ['CONVENED', 'DECIDED'],
  steps: ['conferenceOpinion', 'caseConference', 'reportDecision', 'departmentTakeover'],
  bpmn: 'caseConference.bpmn',
});

export type ConferenceStep = (typeof caseConferenceProcess.steps)[number];
