// What one process folder contributes to the system (processes/<name>/index.ts), and what the registry
// (processes/index.ts) puts together: the worker's activities and the API's routes.
import type { RouteModule } from '../api/http/context';
import type { ActivityDeps } from '../engine/activities/deps';
import type { AnyProcess } from '../engine/definition';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivityMap = Record<string, (...args: any[]) => Promise<any>>;

export interface ProcessSlice {
  /** The case process it runs; absent for a job without cases (the monthly payment roster). */
  definition?: AnyProcess;
  /** The workflow types its workflow.ts exports (processes/workflows.ts lists them for the worker's bundle). */
  workflowTypes: readonly string[];
  activities?: (deps: ActivityDeps) => ActivityMap;
  routes?: RouteModule;
}
