// Every workflow the worker runs. Workflow code must stay deterministic: no I/O, no Node built-ins.
export { application } from './application';
export { emergency } from './emergency';
export { caseConference } from './case-conference';
export { recipient } from './recipient';
export { monthlyRoster } from './roster';
