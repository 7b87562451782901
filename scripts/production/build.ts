// The Temporal server and its SQL schema tool, built from the Go module proxy at a pinned version into a project-local
// cache (.temporal-server/<version>/), with the PostgreSQL schema files copied beside them from the module source.
// Skipped when already built, or when TEMPORAL_SERVER_PATH / TEMPORAL_SQL_TOOL_PATH / TEMPORAL_SCHEMA_DIR name
// existing ones. Why from source: release downloads (GitHub, Docker Hub) are not reachable here; the Go proxy is.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';

/** The minor after docker-compose.yml's temporalio/auto-setup image (1.28); bump both together. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const CACHE = join(PROJECT_ROOT, '.temporal-server', TEMPORAL_SERVER_VERSION);

export interface TemporalServerBinaries {
  serverPath: string;
  sqlToolPath: string;
  /** Folder holding temporal/ and visibility/ (each with versioned/): schema/postgresql/v12 of the module. */
  schemaDir: string;
  /** Milliseconds the go install took, 0 when nothing was built. */
  buildMs: number;
}

function go(args: string[], env: NodeJS.ProcessEnv = {}, log?: (l: string) => void): string {
  log?.(`go ${args.join(' ')}`);
  return execFileSync('go', args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

function given(name: string): string | undefined {
  const p = process.env[name];
  if (p && !existsSync(p)) throw new Error(`${name}=${p} does not exist`);
  return p || undefined;
}

export function ensureTemporalServer(log: (l: string) => void = console.log): TemporalServerBinaries {
  const bin = join(CACHE, 'bin');
  const serverPath = given('TEMPORAL_SERVER_PATH') ?? join(bin, 'temporal-server');
  const sqlToolPath = given('TEMPORAL_SQL_TOOL_PATH') ?? join(bin, 'temporal-sql-tool');
  const schemaDir = given('TEMPORAL_SCHEMA_DIR') ?? join(CACHE, 'schema', 'postgresql', 'v12');
  const missing = [
    ...(existsSync(serverPath) ? [] : [{ pkg: `${MODULE}/cmd/server`, built: 'server', as: serverPath }]),
    ...(existsSync(sqlToolPath) ? [] : [{ pkg: `${MODULE}/cmd/tools/sql`, built: 'sql', as: sqlToolPath }]),
  ];
  let buildMs = 0;
  if (missing.length) {
    mkdirSync(bin, { recursive: true });
    log(`building ${missing.map((m) => m.pkg).join(', ')} @${TEMPORAL_SERVER_VERSION} (takes minutes the first time)`);
    const t0 = Date.now();
    // Pure Go (the server's SQLite driver is modernc.org/sqlite), so no C toolchain; one go install shares the
    // downloads.
    go(
      ['install', ...missing.map((m) => `${m.pkg}@${TEMPORAL_SERVER_VERSION}`)],
      { GOBIN: bin, CGO_ENABLED: '0' },
      log,
    );
    buildMs = Date.now() - t0;
    for (const m of missing) renameSync(join(bin, m.built), m.as); // `server` and `sql` are too generic on a PATH
    log(`built in ${(buildMs / 1000).toFixed(0)} s`);
  }
  if (!existsSync(join(schemaDir, 'temporal', 'versioned'))) {
    // The schema is part of the module source, which go install left in the module cache (read-only files there).
    const source = join(
      go(['env', 'GOMODCACHE']),
      `${MODULE}@${TEMPORAL_SERVER_VERSION}`,
      'schema',
      'postgresql',
      'v12',
    );
    if (!existsSync(source)) go(['mod', 'download', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], {}, log);
    mkdirSync(schemaDir, { recursive: true });
    for (const part of ['temporal', 'visibility']) {
      cpSync(join(source, part), join(schemaDir, part), { recursive: true });
      writable(join(schemaDir, part)); // copies keep the cache's read-only modes, which would block a later rm -rf
    }
  }
  return { serverPath, sqlToolPath, schemaDir, buildMs };
}

function writable(path: string): void {
  const st = statSync(path);
  chmodSync(path, st.mode | 0o200);
  if (st.isDirectory()) for (const name of readdirSync(path)) writable(join(path, name));
}

if (require.main === module) {
  const b = ensureTemporalServer();
  console.log(
    `temporal-server     ${b.serverPath}\ntemporal-sql-tool   ${b.sqlToolPath}\nschema              ${b.schemaDir}`,
  );
}
