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
   console.warn('v8.promiseHooks.createHook is not available; stack trace collection will be disabled.');
   console.warn('another message');
   // Enabled from this file too (an activation runs below it), through Node's own call of createHook.
   const als = new AsyncLocalStorage();
   als.run('scope', () => Promise.resolve().then(() => {
     answers.push('async storage: ' + als.getStore());
     parentPort.postMessage(answers);
   }));`,
);

/** The thread's answers, then what it wrote to stderr. */
function probe(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // The thread ends by itself once it answered; its stderr ends after its last write.
    const w = new Worker(join(sdkDir, 'vm-shared.js'), { stderr: true });
    let answers: string[] = [];
    let stderr = '';
    w.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    w.stderr.once('end', () => resolve([...answers, ...stderr.trim().split('\n')]));
    w.once('message', (m: string[]) => (answers = m));
    w.once('error', reject);
  });
}

const SDK_NOTICE = 'v8.promiseHooks.createHook is not available; stack trace collection will be disabled.';
const untouched = ['hook installed', 'async storage: scope', SDK_NOTICE, 'another message'];

describe('workflow threads', () => {
  it('refuse the SDK stack-trace hook when stack traces are off, and only in threads started meanwhile', async () => {
    const inside = await withWorkflowThreads(false, probe);
    // The SDK's notice is left out (worker.ts says it once); other messages pass.
    expect(inside).toEqual([
      'refused: workflow stack traces are off (DOUDI_WORKFLOW_STACK_TRACES=1 turns them on)',
      'async storage: scope',
      'another message',
    ]);
    expect(await probe()).toEqual(untouched);
  });

  it('keep it when stack traces are on', async () => {
    expect(await withWorkflowThreads(true, probe)).toEqual(untouched);
  });

  it('restore the Worker constructor when creating fails', async () => {
    await expect(
      withWorkflowThreads(false, async () => {
        throw new Error('create failed');
      }),
    ).rejects.toThrow('create failed');
    expect(await probe()).toEqual(untouched);
  });
});
