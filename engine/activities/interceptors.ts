// Worker-side: a database that refuses the data (an impossible date, a NUL byte, a broken constraint) will refuse it
// on every retry too. Such errors become non-retryable InvalidDataError failures (engine/errors.ts), so the workflow
// hears of them at once instead of the activity retrying every minute forever.
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

/**
 * SQLSTATE classes no retry can mend: 22 data exception, 23 integrity constraint violation, 42 syntax or access rule.
 */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23', '42']);

export function isPermanentDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && PERMANENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

export class PermanentFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      if (!isPermanentDatabaseError(err)) throw err;
      // The message names the rule broken, never the row's values (they may be personal data).
      const { code } = err as { code: string };
      throw ApplicationFailure.nonRetryable(`the database refused the data (SQLSTATE ${code})`, 'InvalidDataError');
    }
  }
}

export const activityInterceptors = [() => ({ inbound: new PermanentFailureInterceptor() })];
