// The SDK runs workflows in worker threads it starts inside Worker.create and offers no option for them. Stack
// traces off (the default, config/index.ts workflowStackTraces), those threads preload
// engine/workflow-thread-preload.cjs: Node passes a thread only the command line's options unless it is given its own
// execArgv, so the constructor is wrapped for the duration of `create` and restored at once.
import worker_threads from 'node:worker_threads';

export const WORKFLOW_THREAD_PRELOAD = require.resolve('./workflow-thread-preload.cjs');

type WorkerOptions = ConstructorParameters<typeof worker_threads.Worker>[1];

export async function withWorkflowThreads<T>(stackTraces: boolean, create: () => Promise<T>): Promise<T> {
  if (stackTraces) return create();
  const Original = worker_threads.Worker;
  worker_threads.Worker = class extends Original {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      const execArgv = [...(options.execArgv ?? process.execArgv), '--require', WORKFLOW_THREAD_PRELOAD];
      super(filename, { ...options, execArgv });
    }
  };
  try {
    return await create();
  } finally {
    worker_threads.Worker = Original;
  }
}
