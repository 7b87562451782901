// The console's production bundle (web/dist): built when missing or when its sources changed since the last build,
// so `npm start` on a fresh clone works and a warm start costs only a hash of the sources (a few ms).
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../config';

const WEB = join(PROJECT_ROOT, 'web');
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.sources-sha256');
/** Everything the bundle is made from: the console's sources and the pure domain modules it imports. */
const INPUTS = [
  join(WEB, 'src'),
  join(WEB, 'index.html'),
  join(WEB, 'vite.config.ts'),
  join(WEB, 'package.json'),
  join(PROJECT_ROOT, 'domain'),
];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => files(join(path, f)));
}

export function webSourcesHash(): string {
  // The salt names how the bundle is built (a production build); changing the build changes every stamp.
  const h = createHash('sha256').update('production build 2\0');
  for (const f of INPUTS.flatMap(files))
    h.update(relative(PROJECT_ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

export const webBundleFresh = (hash = webSourcesHash()) =>
  existsSync(join(DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash;

/** Builds web/dist unless it is fresh; answers whether it built. */
export async function ensureWebBundle(log: (line: string) => void = () => undefined): Promise<boolean> {
  const hash = webSourcesHash();
  if (webBundleFresh(hash)) return false;
  log('building the console (web/dist)…');
  const vite = join(require.resolve('vite/package.json', { paths: [WEB] }), '..', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: WEB,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Always React's production build: jest runs with NODE_ENV=test, which Vite would otherwise honour.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output.slice(-4000)}`)),
    );
  });
  writeFileSync(STAMP, hash);
  return true;
}
