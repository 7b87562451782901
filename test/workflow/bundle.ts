// The workflow bundle, built once per change of the workflow code and shared by every workflow test file (jest runs
// files in separate processes): cached under .tmp/ by a hash of the sources it is built from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../config';
import { FAILURE_CONVERTER_PATH } from '../../engine/payload-codec';
import { PRELOADED_MODULES } from '../../engine/workflow-bundle';

const SOURCE_DIRS = ['processes', 'engine', 'domain'];
const CACHE_DIR = join(PROJECT_ROOT, '.tmp', 'workflow-bundles');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js|json)$/.test(name) ? [p] : [];
    });
}

/** Hash of the workflow and domain sources plus the lockfile (SDK, zod: what else ends up in the bundle). */
export function workflowSourceHash(): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(PROJECT_ROOT, 'package-lock.json')));
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
  const hash = workflowSourceHash();
  const file = join(CACHE_DIR, `workflows-${hash}.js`);
  if (existsSync(file)) {
    try {
      return { code: readFileSync(file, 'utf8') };
    } catch {
      // pruned by another run between the two calls: bundle again
    }
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../processes/workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH, // as worker.ts's bundle (engine/payload-codec.ts)
    preloadModules: PRELOADED_MODULES, // as worker.ts's bundle (engine/workflow-bundle.ts)
    logger: new DefaultLogger('WARN'),
  });
  // sources edited while bundling: use it, but do not file it under the old hash
  if (workflowSourceHash() !== hash) return { code };
  mkdirSync(CACHE_DIR, { recursive: true });
  // Write then rename, so a file bundling at the same moment never reads half a bundle.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file);
  prune(file);
  return { code };
}

/** Bundles of earlier sources, a day old or more (each is ~3 MB; a fresh one may belong to a run still going). */
function prune(keep: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(CACHE_DIR)) {
    const p = join(CACHE_DIR, name);
    try {
      if (p !== keep && statSync(p).mtimeMs < dayAgo) rmSync(p, { force: true });
    } catch {
      // removed meanwhile
    }
  }
}
