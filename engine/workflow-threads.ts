// The SDK runs workflows in worker threads it starts inside Worker.create and offers no option for them. Stack
// traces off (the default, config/index.ts workflowStackTraces), those threads run engine/workflow-thread-preload.cjs
// first: the constructor is wrapped for the duration of `create` (and restored at once) so that a thread starts from
// the preload, which then loads the file the SDK asked for.
//
// Why not `execArgv: [...process.execArgv, '--require', preload]`: a thread given its own execArgv refuses V8 and
// process-wide options (`--expose-gc`, `--max-old-space-size`, …) that it would otherwise inherit silently, so a
// worker started with one of them could not start its workflow threads at all. Starting from another file leaves the
// thread's options as Node inherits them.
import { fileURLToPath } from 'node:url';
import worker_threads from 'node:worker_threads';

export const WORKFLOW_THREAD_PRELOAD = require.resolve('./workflow-thread-preload.cjs');
// In the main thread the preload only defines this: its hooks and its loading of the entry run in workflow threads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { THREAD_ENTRY_ENV } = require(WORKFLOW_THREAD_PRELOAD) as { THREAD_ENTRY_ENV: string };

type WorkerOptions = ConstructorParameters<typeof worker_threads.Worker>[1];

export async function withWorkflowThreads<T>(stackTraces: boolean, create: () => Promise<T>): Promise<T> {
  if (stackTraces) return create();
  const Original = worker_threads.Worker;
  worker_threads.Worker = class extends Original {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      // Code to evaluate, or an env shared with the parent (SHARE_ENV), leaves no room for the entry: such a thread
      // starts as asked, with the SDK's hook. The SDK starts its threads from a file, with no options.
      if (options.eval || (options.env !== undefined && typeof options.env !== 'object')) {
        super(filename, options);
        return;
      }
      const entry = filename instanceof URL ? fileURLToPath(filename) : filename;
      const env = { ...((options.env as NodeJS.ProcessEnv | undefined) ?? process.env), [THREAD_ENTRY_ENV]: entry };
      super(WORKFLOW_THREAD_PRELOAD, { ...options, env });
    }
  };
  try {
    return await create();
  } finally {
    worker_threads.Worker = Original;
  }
}
