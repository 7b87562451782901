// engine/workflow-threads.ts and engine/workflow-thread-preload.cjs: threads started while the SDK's Worker.create
// runs refuse the SDK's stack-trace promise hook, and only that one; threads started before or after are untouched.
// (The real SDK under the preload: every e2e test's worker, test/support/stack.ts.)
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { withWorkflowThreads } from '../../engine/workflow-threads';

// A thread that does what the SDK's workflow thread does at start, from a file where the SDK keeps it
// (@temporalio/worker/lib/workflow/vm-shared.js), then what Node's async_hooks do for AsyncLocalStorage.
const root = mkdtempSync(join(tmpdir(), 'doudi-threads-'));
const sdkDir = join(root, 'node_modules', '@temporalio', 'worker', 'lib', 'workflow');
mkdirSync(sdkDir, { recursive: true });
writeFileSync(
  join(sdkDir, 'vm-shared.js'),
  `const { parentPort } = require('node:worker_threads');
   const { AsyncLocalStorage } = require('node:async_hooks');
   const answers = [];
   function setPromiseHook() {
     try { require('node:v8').promiseHooks.createHook({ init() {} }); answers.push('hook installed'); }
     catch (e) { answers.push('refused: ' + e.message); }
   }
   setPromiseHook();
   // Enabled from this file too (an activation runs below it), through Node's own call of createHook.
   const als = new AsyncLocalStorage();
   als.run('scope', () => Promise.resolve().then(() => {
     answers.push('async storage: ' + als.getStore());
     parentPort.postMessage(answers);
   }));`,
);

function probe(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(sdkDir, 'vm-shared.js'));
    w.once('message', (m: string[]) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
}

describe('workflow threads', () => {
  it('refuse the SDK stack-trace hook when stack traces are off, and only in threads started meanwhile', async () => {
    const inside = await withWorkflowThreads(false, probe);
    expect(inside).toEqual([
      'refused: workflow stack traces are off (DOUDI_WORKFLOW_STACK_TRACES=1 turns them on)',
      'async storage: scope',
    ]);
    expect(await probe()).toEqual(['hook installed', 'async storage: scope']);
  });

  it('keep it when stack traces are on', async () => {
    expect(await withWorkflowThreads(true, probe)).toEqual(['hook installed', 'async storage: scope']);
  });

  it('restore the Worker constructor when creating fails', async () => {
    await expect(
      withWorkflowThreads(false, async () => {
        throw new Error('create failed');
      }),
    ).rejects.toThrow('create failed');
    expect(await probe()).toEqual(['hook installed', 'async storage: scope']);
  });
});
