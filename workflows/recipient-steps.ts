// The step ids the recipient workflow can report as active (see `activeSteps` query). bpmn/recipient.bpmn uses the same
// ids; test/unit/recipient-bpmn.test.ts keeps the two in agreement.
export const RECIPIENT_REPORTABLE_STEPS = ['annualRecheck', 'periodicCheck', 'changeReport', 'publicity', 'terminate'] as const;
export type RecipientReportableStep = (typeof RECIPIENT_REPORTABLE_STEPS)[number];
