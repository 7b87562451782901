// The activities of the shared case machinery; each process adds its own (processes/index.ts puts them together).
import { caseActivities } from './cases';
import { deadlineActivities } from './deadlines';
import type { ActivityDeps } from './deps';
import { transitionActivities } from './transition';

export function engineActivities(deps: ActivityDeps) {
  return { ...caseActivities(deps), ...deadlineActivities(deps), ...transitionActivities(deps) };
}

export type EngineActivities = ReturnType<typeof engineActivities>;
export type { ActivityDeps };
