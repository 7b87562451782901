// The time-skipping test environment every workflow test file starts: the server from .temporal-bin, Doudi's search
// attributes registered (the dev server gets them with --search-attribute), and the shared workflow bundle.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalTestServerPath } from '../../scripts/lib/binaries';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/search-attributes';
import { workflowBundle } from './bundle';

let runtimeInstalled = false;

export async function startTimeSkipping(): Promise<{ env: TestWorkflowEnvironment; bundle: { code: string } }> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } }),
    workflowBundle(),
  ]);
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
      name, encodeSearchAttributeIndexedValueType(type.toUpperCase() as Uppercase<typeof type>)!,
    ])),
  });
  return { env, bundle };
}
