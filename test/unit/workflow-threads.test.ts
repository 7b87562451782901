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

  // A thread given its own execArgv refuses V8 options such as --expose-gc or --max-old-space-size: a worker process
  // started with one must still start its workflow threads (bench/worker-memory.ts runs with --expose-gc).
  it('start in a process run with V8 options, which a thread refuses in its own execArgv', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `
      const threads = require('node:worker_threads'); // read .Worker late, as the SDK does
      const { withWorkflowThreads } = require(${JSON.stringify(require.resolve('../../engine/workflow-threads'))});
      withWorkflowThreads(false, async () => new Promise((resolve, reject) => {
        const w = new threads.Worker(${JSON.stringify(join(sdkDir, 'vm-shared.js'))});
        w.once('message', (m) => { console.log(JSON.stringify(m)); resolve(); });
        w.once('error', reject);
      })).catch((e) => { console.error(e.code ?? e.message); process.exit(1); });`;
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=512', '--import', 'tsx', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).not.toContain('ERR_WORKER_INVALID_EXEC_ARGV');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([
      'refused: workflow stack traces are off (DOUDI_WORKFLOW_STACK_TRACES=1 turns them on)',
      'async storage: scope',
    ]);
  }, 60_000);

  it('restore the Worker constructor when creating fails', async () => {
    await expect(
      withWorkflowThreads(false, async () => {
        throw new Error('create failed');
      }),
    ).rejects.toThrow('create failed');
    expect(await probe()).toEqual(untouched);
  });
});
