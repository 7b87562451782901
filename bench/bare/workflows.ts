// The yardstick of bench/throughput.ts: a case with Doudi's shape and nothing else. Start, then five Updates sent one
// after another, each handler running one activity that writes one PostgreSQL row and answering once it is written.
// Bundled on its own (bench/bare/worker.ts): none of Doudi's workflow code, so what it costs is what Temporal costs.
import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BareActivities } from './activities';

// Same activity options as Doudi's case workflows (workflows/lib/case-context.ts).
const { writeStep } = proxyActivities<BareActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

export interface BareStep {
  step: string;
  n: number;
}
export const bareStepUpdate = defineUpdate<number, [BareStep]>('step');
export const BARE_STEPS = 5;

export async function bareCase(caseId: string): Promise<number> {
  let done = 0;
  setHandler(bareStepUpdate, async ({ step, n }) => {
    await writeStep({ caseId, step, n });
    done = Math.max(done, n);
    return done;
  });
  await condition(() => done >= BARE_STEPS);
  await condition(allHandlersFinished); // the last Update answers before the workflow closes
  return done;
}
