// CPU profiles of every Node process and thread of a bench run, the SDK's workflow threads among them:
//   DOUDI_PROFILE_DIR=/tmp/prof NODE_OPTIONS="--require ./bench/lib/profile-threads.cjs" npx tsx bench/throughput.ts
// Node refuses --cpu-prof in NODE_OPTIONS, and would write a profile only at a clean exit, which the bench's children
// do not reach. Preloads run in worker threads as well, so each thread samples itself through its own inspector
// session, from DOUDI_PROFILE_FROM to DOUDI_PROFILE_TO seconds after it started (default 20–40 s: a mid-run window),
// and writes <pid>-<threadId>-<script>.cpuprofile (open it in Chrome DevTools, or sum self time per function).
'use strict';
const dir = process.env.DOUDI_PROFILE_DIR;
if (dir) {
  const inspector = require('node:inspector');
  const { writeFileSync, mkdirSync } = require('node:fs');
  const { join } = require('node:path');
  const { threadId } = require('node:worker_threads');
  const from = Number(process.env.DOUDI_PROFILE_FROM ?? 20) * 1000;
  const to = Number(process.env.DOUDI_PROFILE_TO ?? 40) * 1000;
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  const script = process.argv
    .slice(1)
    .join(' ')
    .replace(/[^a-z0-9]+/gi, '_')
    .slice(-60);
  // A profile that fails is reported, never an unhandled rejection that would end the process being measured.
  const report = (e) => console.error(`profile-threads: ${e.message}`);
  setTimeout(() => {
    (async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 250 });
      await post('Profiler.start');
      setTimeout(() => {
        (async () => {
          const { profile } = await post('Profiler.stop');
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, `${process.pid}-${threadId}-${script}.cpuprofile`), JSON.stringify(profile));
        })().catch(report);
      }, to - from).unref();
    })().catch(report);
  }, from).unref();
}
