// Emergency assistance (急难社会救助, docs/policy.md §5; plan 三(三)): the small-amount advance paid at once, the
// after-the-fact justification, then no further help, a regular application, staged assistance or a case conference.
import { DEFAULT_JUSTIFICATION_WORKING_DAYS, EMERGENCY_LIMITS } from '../../domain/emergency';
import { defineProcess, lazyTaskSchemas } from '../../engine/definition';
import type * as Schemas from './schemas';

// Required on a completion's first validation, not when a workflow loads this module (engine/definition.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S = lazyTaskSchemas(() => (require('./schemas') as typeof Schemas).EMERGENCY_TASK_SCHEMAS);

export const emergencyProcess = defineProcess({
  name: 'emergency',
  label: '急难社会救助',
  workflowId: (caseId: string) => `emergency-${caseId}`,
  tasks: {
    justification: { label: '事后补充说明', candidateRole: 'caseworker', outcomes: S('justification') },
    stagedAssistance: { label: '分阶段救助审核', candidateRole: 'reviewer', outcomes: S('stagedAssistance') },
  },
  deadlines: {
    emergencyHandling: {
      label: '急难处置时限',
      startsFrom: 'the report',
      calendarDays: EMERGENCY_LIMITS.handlingCalendarDays,
    },
    // The policy parameter justificationWorkingDays overrides this per region (domain/policy.ts).
    justification: {
      label: '补充说明时限',
      startsFrom: 'the payment',
      workingDays: DEFAULT_JUSTIFICATION_WORKING_DAYS,
    },
    stageReview: {
      label: '阶段审核时限',
      startsFrom: 'the opening of the stage review',
      workingDays: EMERGENCY_LIMITS.stageReviewWorkingDays,
    },
  },
  statuses: ['SUBMITTED', 'ADVANCE_PAID', 'JUSTIFIED', 'IN_STAGES', 'CLOSED'],
  steps: [
    'emergencyAdvance',
    'justification',
    'regularApplication',
    'stagedAssistance',
    'stagePayment',
    'nextStage',
    'caseConference',
    'conferenceAction',
  ],
  bpmn: 'emergency.bpmn',
});

export type EmergencyStep = (typeof emergencyProcess.steps)[number];
