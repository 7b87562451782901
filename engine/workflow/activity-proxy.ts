// The one way workflow code reaches activities: the shared options (timeouts, retries that end on a permanent
// failure) with per-call overrides. Workflows import activity modules as types only, as in Temporal's samples.
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';

/**
 * Transient failures (database or network down) retry every minute at most, for as long as it takes; permanent ones
 * (engine/errors.ts) fail the call at once.
 */
export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function activities<A extends Record<string, (...args: any[]) => Promise<any>>>(
  options: Partial<ActivityOptions> = {},
) {
  return proxyActivities<A>({
    ...DEFAULT_ACTIVITY_OPTIONS,
    ...options,
    retry: { ...DEFAULT_ACTIVITY_OPTIONS.retry, ...options.retry },
  });
}
