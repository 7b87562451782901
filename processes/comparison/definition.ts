// The comparison run (数据比对) as a job: no cases of its own. The workflow type is Temporal-visible: never renamed.
export const COMPARISON_WORKFLOW_TYPE = 'comparisonRun';
export const comparisonWorkflowId = (runId: string) => `comparison-${runId}`;
