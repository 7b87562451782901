// Worker-side: a database that refuses the data (an impossible date, a NUL byte, a broken constraint) will refuse it
// on every retry too, and so will a rule that finds the data invalid (a zod schema, a RangeError from domain/ date
// arithmetic on an impossible date). Such errors become non-retryable InvalidDataError failures (engine/errors.ts), so
// the workflow hears of them at once instead of the activity retrying every minute forever. The API refuses such data
// at the edge (domain/schemas.ts); this is the second line, for data that reached a workflow before that rule.
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

/** Validation errors: the same input fails the same way on every retry. */
export function isInvalidDataError(err: unknown): boolean {
  return err instanceof RangeError || (err instanceof Error && err.name === 'ZodError');
}

export class PermanentFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      // The messages name the rule broken, never the row's values (they may be personal data).
      if (isInvalidDataError(err))
        throw ApplicationFailure.nonRetryable(`invalid data (${(err as Error).name})`, 'InvalidDataError');
      if (!isPermanentDatabaseError(err)) throw err;
      const { code } = err as { code: string };
      throw ApplicationFailure.nonRetryable(`the database refused the data (SQLSTATE ${code})`, 'InvalidDataError');
    }
  }
}

export const activityInterceptors = [() => ({ inbound: new PermanentFailureInterceptor() })];
