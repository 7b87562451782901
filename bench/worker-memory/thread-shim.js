// Loaded instead of the SDK's workflow-worker-thread (see worker.ts beside it): answers heap questions on a port of
// its own, then runs the SDK's thread code unchanged. Plain JS: worker threads do not go through tsx's loader.
'use strict';
const { workerData } = require('node:worker_threads');
const v8 = require('node:v8');

const { heapPort, original } = workerData.doudiMemoryBench;
heapPort.on('message', () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const h = v8.getHeapStatistics();
  heapPort.postMessage({ usedHeap: h.used_heap_size, totalHeap: h.total_heap_size, external: h.external_memory ?? 0 });
});
heapPort.unref();
require(original);
