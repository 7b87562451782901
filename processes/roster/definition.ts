// The monthly payment roster (发放花名册) is a job, not a case process: no tasks, no deadlines, no diagram. Its names
// are Temporal-visible (the Schedule starts this workflow type): never renamed.
export const ROSTER_WORKFLOW_TYPE = 'monthlyRoster';
export const ROSTER_SCHEDULE_ID = 'monthly-payment-roster';
/** The workflow id of a run: the schedule's own, or a manual run's. */
export const rosterWorkflowId = {
  scheduled: (scheduleId: string) => `roster-${scheduleId}`,
  manual: (month: string, runId: string) => `roster-${month}-manual-${runId}`,
};
