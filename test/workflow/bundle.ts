// The workflow bundle, built once per change of the workflow code and shared by every workflow test file (jest runs
// files in separate processes): cached under .tmp/ by a hash of the sources it is built from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../config';

const SOURCE_DIRS = ['workflows', 'domain'];
const CACHE_DIR = join(PROJECT_ROOT, '.tmp', 'workflow-bundles');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js|json)$/.test(name) ? [p] : [];
  });
}

/** Hash of the workflow and domain sources plus the SDK version that bundles them. */
export function workflowSourceHash(): string {
  const h = createHash('sha256');
  const sdk = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', '@temporalio', 'worker', 'package.json'), 'utf8')).version;
  h.update(`sdk ${sdk}\n`);
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(join(PROJECT_ROOT, dir))) {
      h.update(`${relative(PROJECT_ROOT, file)}\n`);
      h.update(readFileSync(file));
      h.update('\n');
    }
  }
  return h.digest('hex').slice(0, 16);
}

let memo: Promise<{ code: string }> | undefined;

/** `{ code }` for `Worker.create({ workflowBundle })`. */
export function workflowBundle(): Promise<{ code: string }> {
  memo ??= load();
  return memo;
}

async function load(): Promise<{ code: string }> {
  const file = join(CACHE_DIR, `workflows-${workflowSourceHash()}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8') };
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(CACHE_DIR, { recursive: true });
  // Write then rename, so a file bundling at the same moment never reads half a bundle.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file);
  return { code };
}
