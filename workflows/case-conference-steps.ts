// The step ids the caseConference workflow can report as active, in process order. bpmn/caseConference.bpmn uses the
// same ids; test/unit/bpmn-case-conference.test.ts keeps the two in agreement.
export const CONFERENCE_REPORTABLE_STEPS = ['conferenceOpinion', 'caseConference', 'reportDecision'] as const;
export type ConferenceReportableStep = (typeof CONFERENCE_REPORTABLE_STEPS)[number];
