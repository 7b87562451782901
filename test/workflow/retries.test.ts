// Retries that end (docs/architecture.md §5): a transient failure is retried until it passes; a permanent one (a
// missing row, data the database refuses) fails the step at once, with its reason, instead of retrying forever.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { InvalidDataError, MissingRecordError } from '../../engine/errors';
import { activityInterceptors, isPermanentDatabaseError } from '../../engine/activities/interceptors';
import type { monthlyRoster } from '../../processes/roster/workflow';
import { startTimeSkipping } from './env';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let bundle: { code: string };
beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
}, 180_000);
afterAll(async () => {
  await env?.teardown();
});

/** Runs the monthly roster (one activity) with `generate` as its activity; returns the outcome and the attempts. */
async function runRoster(generate: () => Promise<unknown>) {
  let attempts = 0;
  const taskQueue = `retries-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: {
      generateMonthlyRoster: async () => {
        attempts++;
        return generate();
      },
    },
    interceptors: { activity: activityInterceptors },
  });
  const outcome = await worker.runUntil(
    env.client.workflow
      .execute<typeof monthlyRoster>('monthlyRoster', {
        taskQueue,
        workflowId: `roster-${randomUUID()}`,
        args: [{ month: '2026-12' }],
      })
      .then(
        (r) => ({ result: r }),
        (error: unknown) => ({ error }),
      ),
  );
  return { result: undefined, error: undefined, ...outcome, attempts: () => attempts } as {
    result?: unknown;
    error?: unknown;
    attempts: () => number;
  };
}

function failureType(error: unknown): string | undefined {
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const activity = (error as WorkflowFailedError).cause;
  expect(activity).toBeInstanceOf(ActivityFailure);
  return ((activity as ActivityFailure).cause as ApplicationFailure).type ?? undefined;
}

describe('activity retries', () => {
  it('retries a transient failure until it passes', async () => {
    let failures = 2;
    const run = await runRoster(async () => {
      if (failures-- > 0) throw new Error('connection reset');
      return { month: '2026-12', inserted: 0, lines: 0, totalAmount: 0 };
    });
    expect(run.result).toMatchObject({ month: '2026-12' });
    expect(run.attempts()).toBe(3);
  });

  it('fails at once on a missing row', async () => {
    const run = await runRoster(async () => {
      throw new MissingRecordError('no recipient r1');
    });
    expect(failureType(run.error)).toBe('MissingRecordError');
    expect(run.attempts()).toBe(1);
  });

  it('fails at once when the database refuses the data, with the rule broken and not the values', async () => {
    const run = await runRoster(async () => {
      throw Object.assign(new Error('invalid input syntax for type date: "2026-11-31"'), { code: '22007' });
    });
    expect(failureType(run.error)).toBe('InvalidDataError');
    expect(((run.error as WorkflowFailedError).cause as ActivityFailure).cause!.message).toBe(
      'the database refused the data (SQLSTATE 22007)',
    );
    expect(run.attempts()).toBe(1);
  });

  it('fails at once when a rule finds the data invalid (an impossible date in domain arithmetic)', async () => {
    const run = await runRoster(async () => {
      throw new RangeError('birthDate must be a YYYY-MM-DD date, got "2026-11-31"');
    });
    expect(failureType(run.error)).toBe('InvalidDataError');
    expect(((run.error as WorkflowFailedError).cause as ActivityFailure).cause!.message).toBe(
      'invalid data (RangeError)',
    );
    expect(run.attempts()).toBe(1);
  });

  it('tells permanent database errors from transient ones', () => {
    expect(isPermanentDatabaseError({ code: '22021' })).toBe(true); // a NUL byte in text
    expect(isPermanentDatabaseError({ code: '23505' })).toBe(true);
    expect(isPermanentDatabaseError({ code: '57P01' })).toBe(false); // the server shut down: retry
    expect(isPermanentDatabaseError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isPermanentDatabaseError(new InvalidDataError('x'))).toBe(false);
  });
});
