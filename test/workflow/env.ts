// The time-skipping test environment every workflow test file starts: the server from .temporal-bin, Doudi's search
// attributes registered (the dev server gets them with --search-attribute), and the shared workflow bundle.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { ApplicationFailure } from '@temporalio/common';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { temporalTestServerPath } from '../../scripts/lib/binaries';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../engine/search-attributes';
import { workflowBundle } from './bundle';

let runtimeInstalled = false;

export async function startTimeSkipping(): Promise<{ env: TestWorkflowEnvironment; bundle: { code: string } }> {
  if (!runtimeInstalled) {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      // The time-skipping server (1.x) advertises no capabilities, so core warns once per Worker.create that heartbeat
      // details may be lost — a line per test that buried the real failures in CI logs. Only that module is quietened;
      // its submodules (workflow task failures, nondeterminism, activities) keep WARN.
      telemetryOptions: {
        logging: {
          filter:
            `${makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' })},temporalio_sdk_core::worker=ERROR,` +
            'temporalio_sdk_core::worker::workflow=WARN,temporalio_sdk_core::worker::activities=WARN',
        },
      },
    });
    runtimeInstalled = true;
  }
  const [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
    }),
    workflowBundle(),
  ]);
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
        name,
        encodeSearchAttributeIndexedValueType(type.toUpperCase() as Uppercase<typeof type>)!,
      ]),
    ),
  });
  return { env, bundle };
}

/** Retries `check` until it stops throwing (workflows react to timers and activities asynchronously). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * The result of a workflow that needs no timer to finish, awaited without unlocking time skipping. The testing client's
 * `handle.result()` lets the server skip time until the result arrives and locks it again only after; in that gap a
 * workflow that outlives this one (an abandoned child) can have its clock run on to its 10-year execution timeout.
 */
export async function resultWithoutSkipping<R>(env: TestWorkflowEnvironment, handle: WorkflowHandle): Promise<R> {
  const plain = new Client({ connection: env.connection, namespace: 'default' });
  return (await plain.workflow.getHandle(handle.workflowId).result()) as R;
}

/** Skips the test server's clock forward to an instant (never backwards). */
export async function sleepUntil(env: TestWorkflowEnvironment, instantMs: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instantMs > now) await env.sleep(instantMs - now);
}

/** Asserts that an Update was refused by its validator with an ApplicationFailure of this type. */
export async function expectRejected(p: Promise<unknown>, type: string): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause.type).toBe(type);
  return cause;
}
