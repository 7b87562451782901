// The one way workflow code reaches activities: the shared options (timeouts, retries that end on a permanent
// failure) with per-call overrides. Workflows import activity modules as types only, as in Temporal's samples.
import {
  patched,
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';

/**
 * Transient failures (database or network down) retry every minute at most, for as long as it takes; permanent ones
 * (engine/errors.ts) fail the call at once.
 */
export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
};

/**
 * The patch under which activities run as local activities (docs/architecture.md §5): the worker that
 * runs the workflow task runs the activity too, and records its result as a marker, so a step's writes cost no
 * activity task round trip and no extra workflow task. Histories recorded before it scheduled ordinary activities and
 * keep doing so on replay; once a case has caught up, its next activities are local.
 */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivityFns = Record<string, (...args: any[]) => Promise<any>>;

let barrier: (() => Promise<void> | undefined) | undefined;

/**
 * Makes every later activity call wait until `b` says the writes queued before it are done (CaseContext's one write per
 * transition, engine/workflow/case-context.ts), so an activity reads what the steps before it wrote. `b` answers
 * undefined when nothing is queued: the call is then made at once, with no extra async layer.
 */
export function orderActivitiesAfter(b: () => Promise<void> | undefined): void {
  barrier = b;
}

/**
 * `placement: 'remote'` keeps a long activity (the monthly roster, minutes of work) an ordinary activity: a local
 * activity holds its workflow task open meanwhile. `unordered`: the call does not wait for queued writes (the call that
 * makes them).
 */
export function activities<A extends ActivityFns>(
  options: Partial<ActivityOptions> = {},
  { placement = 'local', unordered = false }: { placement?: 'local' | 'remote'; unordered?: boolean } = {},
): ActivityInterfaceFor<A> {
  const merged: ActivityOptions = {
    ...DEFAULT_ACTIVITY_OPTIONS,
    ...options,
    retry: { ...DEFAULT_ACTIVITY_OPTIONS.retry, ...options.retry },
  };
  const remote = proxyActivities<A>(merged);
  if (placement === 'remote') return remote;
  const local = proxyLocalActivities<A>(localOptions(merged));
  // Decided per call, synchronously (no async layer: the promise is the proxy's own, so commands keep their order).
  return new Proxy({} as ActivityInterfaceFor<A>, {
    get(_, name) {
      if (typeof name !== 'string') return undefined;
      const call = (...args: unknown[]) => {
        const proxy = (patched(LOCAL_ACTIVITIES_PATCH) ? local : remote) as unknown as ActivityFns;
        return proxy[name](...args);
      };
      if (unordered) return call;
      return (...args: unknown[]) => {
        const wait = barrier?.();
        return wait ? wait.then(() => call(...args)) : call(...args);
      };
    },
  });
}

function localOptions(o: ActivityOptions): LocalActivityOptions {
  return {
    startToCloseTimeout: o.startToCloseTimeout,
    retry: o.retry,
    // Retries after the first 10 seconds wait on a workflow timer instead of holding the workflow task open.
    localRetryThreshold: '10 seconds',
  };
}
