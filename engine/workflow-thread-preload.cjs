// The first file each of the SDK's workflow threads runs when workflow stack traces are off
// (engine/workflow-threads.ts): it sets the thread up, then loads the file the SDK started the thread for. Plain
// CommonJS, in a thread that runs only the SDK's JavaScript and the prebuilt workflow bundle.
//
// Why: for the Temporal UI's "stack trace" view the SDK installs a promise hook in its workflow threads that, for
// every promise a workflow creates, compiles a function, captures an Error stack and maps it through the bundle's
// source map. That was nearly half of the workflow threads' CPU per task completion (docs/architecture.md §5). The SDK
// treats a hook it cannot install as "stack traces off" and says so once per thread; this makes it so. Only the
// SDK's own call (from @temporalio/worker's lib/workflow/vm-shared.js) is refused: Node's async_hooks install their
// promise hook through the same function, and the SDK's Update scopes need them (AsyncLocalStorage).
'use strict';
const { isMainThread } = require('node:worker_threads');

/**
 * Where the file the thread was started for is passed (removed from the thread's env once read). Defined here, the one
 * place plain CommonJS can read it from; engine/workflow-threads.ts sets it.
 */
const THREAD_ENTRY_ENV = 'DOUDI_WORKFLOW_THREAD_ENTRY';
module.exports = { THREAD_ENTRY_ENV };

const SDK_STACK_TRACE_HOOK = /[\\/]@temporalio[\\/]worker[\\/]lib[\\/]workflow[\\/]vm-shared\.js$/;

/** The file of the function that called the caller of this one, from V8's structured call sites. */
function callerOfCaller() {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, sites) => sites[2]?.getFileName() ?? '';
  try {
    return new Error().stack;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

/** What the SDK prints, once per thread, when it cannot install its hook: worker.ts says it once, in its own words. */
const SDK_NOTICE = 'v8.promiseHooks.createHook is not available; stack trace collection will be disabled.';

if (!isMainThread) {
  const warn = console.warn;
  console.warn = function (...args) {
    if (args.length === 1 && args[0] === SDK_NOTICE) return;
    return warn.apply(this, args);
  };
  const promiseHooks = require('node:v8').promiseHooks;
  const createHook = promiseHooks.createHook;
  promiseHooks.createHook = function (hooks) {
    // The direct caller only: a workflow activation runs below vm-shared.js too, and may enable async_hooks.
    if (SDK_STACK_TRACE_HOOK.test(callerOfCaller()))
      throw new Error('workflow stack traces are off (DOUDI_WORKFLOW_STACK_TRACES=1 turns them on)');
    return createHook.call(this, hooks);
  };
}

if (!isMainThread && process.env[THREAD_ENTRY_ENV]) {
  const entry = process.env[THREAD_ENTRY_ENV];
  delete process.env[THREAD_ENTRY_ENV];
  require(entry);
}
