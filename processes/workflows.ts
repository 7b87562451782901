// The worker's workflow bundle (worker.ts `workflowsPath`): every workflow type of processes/index.ts, and nothing
// else — each export here is registered as a workflow. Deterministic code only: no I/O, no Node built-ins.
// test/unit/processes.test.ts fails when this list and the registry disagree.
export { application } from './application/workflow';
export { caseConference } from './caseConference/workflow';
export { comparisonRun } from './comparison/workflow';
export { emergency } from './emergency/workflow';
export { recipient } from './recipient/workflow';
export { monthlyRoster } from './roster/workflow';
export { warning } from './warning/workflow';
