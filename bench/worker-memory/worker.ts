// The real worker (worker.ts's runWorker, SDK defaults included) with two probes for bench/worker-memory.ts, and no
// other change: Worker.create is wrapped to keep the instance (for its cache size), and the SDK's workflow thread is
// started through thread-shim.js so its heap — where the cached workflows live — can be read too. Answers IPC
// 'measure' with the process's and the threads' memory after a full GC (run with --expose-gc).
import { MessageChannel, Worker as Thread, type MessagePort, type WorkerOptions } from 'node:worker_threads';
// The module object itself (not an import-star copy): the SDK reads `.Worker` off it when it starts its threads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import workerThreads = require('node:worker_threads');
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { runWorker } from '../../worker';
import { WORKFLOW_THREAD_PRELOAD } from '../../engine/workflow-threads';

const ports: MessagePort[] = [];
class ProbedThread extends Thread {
  constructor(filename: string | URL, options: WorkerOptions = {}) {
    // The SDK's thread, or the same thread started from Doudi's preload (engine/workflow-threads.ts), which loads the
    // SDK's file after it.
    if (!String(filename).endsWith('workflow-worker-thread.js') && String(filename) !== WORKFLOW_THREAD_PRELOAD) {
      super(filename, options);
      return;
    }
    const { port1, port2 } = new MessageChannel();
    super(join(__dirname, 'thread-shim.js'), {
      ...options,
      workerData: { doudiMemoryBench: { heapPort: port2, original: String(filename) } },
      transferList: [port2],
    });
    ports.push(port1);
  }
}
(workerThreads as { Worker: typeof Thread }).Worker = ProbedThread;

let sdkWorker: Worker | undefined;
const create = Worker.create.bind(Worker);
Worker.create = async (options) => (sdkWorker = await create(options));

const ask = (port: MessagePort) =>
  new Promise<{ usedHeap: number; totalHeap: number; external: number }>((resolve) => {
    port.once('message', resolve);
    port.postMessage('measure');
  });

process.on('message', async (m) => {
  if (m !== 'measure') return;
  (global as { gc?: () => void }).gc?.();
  const threads = await Promise.all(ports.map(ask));
  const mem = process.memoryUsage();
  const status = sdkWorker?.getStatus();
  process.send!({
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    threads,
    cached: status?.numCachedWorkflows ?? -1,
    inFlight: (status?.numInFlightWorkflowActivations ?? 0) + (status?.numInFlightActivities ?? 0),
  });
});

// runWorker returns after SIGTERM's graceful shutdown; the IPC channel would keep the process alive after it.
runWorker().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
