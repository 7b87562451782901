// The step ids the application workflow can report as active (see `activeSteps` query), in process order.
// bpmn/application.bpmn uses the same ids; test/unit/bpmn.test.ts keeps the two in agreement.
export const APPLICATION_REPORTABLE_STEPS = [
  'submit', 'accept', 'homeVisit', 'economicCheck', 'assess', 'firstReview', 'publicity', 'confirm', 'enrol', 'refusalNotice',
] as const;
export type ApplicationReportableStep = (typeof APPLICATION_REPORTABLE_STEPS)[number];
