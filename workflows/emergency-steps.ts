// The step ids the emergency workflow can report as active, in process order. bpmn/emergency.bpmn uses the same ids;
// test/unit/bpmn-emergency.test.ts keeps the two in agreement.
export const EMERGENCY_REPORTABLE_STEPS = [
  'emergencyAdvance', 'justification', 'regularApplication', 'stagedAssistance', 'stagePayment', 'nextStage', 'caseConference', 'conferenceAction',
] as const;
export type EmergencyReportableStep = (typeof EMERGENCY_REPORTABLE_STEPS)[number];
