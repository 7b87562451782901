// Every setting comes from the environment, with defaults for the embedded one-command set-up.
// The same variable names work in docker-compose.yml and on a bare machine.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..');

export interface Config {
  databaseUrl?: string; // unset → `npm start` runs embedded PostgreSQL and sets it
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  port: number;
  /** The address the API listens on; loopback unless the operator opens it (docker-compose.yml sets 0.0.0.0). */
  host: string;
  /** Failed authentications per client IP and 15 minutes before it is locked (api/http/rate-limit.ts). */
  authFailureLimit: number;
  /** express's `trust proxy`: who may name the client's IP in X-Forwarded-For (unset: the TCP peer is the client). */
  trustProxy?: string;
  /** AUTH_JWT_SECRET; '' when unset (resolveJwtSecret says whether a process may start without it). */
  jwtSecret: string;
  /** The longest lifetime (exp − iat) a bearer token may have, in seconds. */
  tokenMaxLifetimeSeconds: number;
  /** DOUDI_DEV=1: the API and the worker may start without AUTH_JWT_SECRET (using the data folder's). */
  devMode: boolean;
  dataDir: string;
  publicBaseUrl: string;
  /** Origins of the Temporal UI allowed to call the API's payload codec (api/http/codec.ts). */
  codecCorsOrigins: string[];
  /** How often a worker looks for case rows whose workflow never started (scripts/lib/reconcile-starts.ts); 0: off. */
  reconcileIntervalMs: number;
  /**
   * DOUDI_WORKFLOW_STACK_TRACES=1: the worker lets the SDK collect workflow stack traces (the Temporal UI's "stack
   * trace" view of a stuck workflow), at nearly half of the workflow threads' CPU (engine/workflow-thread-preload.cjs).
   */
  workflowStackTraces: boolean;
}

export const MIN_JWT_SECRET_BYTES = 32;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'doudi',
    port,
    host: env.API_HOST || '127.0.0.1',
    authFailureLimit: positiveInt(env.AUTH_FAILURE_LIMIT) ?? 20,
    trustProxy: env.TRUST_PROXY || undefined,
    jwtSecret: env.AUTH_JWT_SECRET ?? '',
    tokenMaxLifetimeSeconds: Math.round(3600 * (Number(env.AUTH_TOKEN_MAX_HOURS ?? 12) || 12)),
    devMode: env.DOUDI_DEV === '1',
    dataDir: resolve(env.DOUDI_DATA_DIR ?? join(PROJECT_ROOT, '.data')),
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    // npm start's Temporal dev server UI (port 8233) and docker-compose.yml's temporal-ui (8080).
    codecCorsOrigins: (env.DOUDI_CODEC_CORS_ORIGINS ?? 'http://localhost:8233,http://localhost:8080')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    reconcileIntervalMs: Number(env.DOUDI_RECONCILE_INTERVAL_SECONDS ?? 60) * 1_000,
    workflowStackTraces: env.DOUDI_WORKFLOW_STACK_TRACES === '1',
  };
}

function positiveInt(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
  return config.databaseUrl;
}

/** Why AUTH_JWT_SECRET cannot sign tokens, or undefined when it can. */
export function jwtSecretProblem(secret: string): string | undefined {
  if (!secret) return 'AUTH_JWT_SECRET is not set';
  if (Buffer.byteLength(secret, 'utf8') < MIN_JWT_SECRET_BYTES)
    return `AUTH_JWT_SECRET is shorter than ${MIN_JWT_SECRET_BYTES} bytes`;
  return undefined;
}

/**
 * The secret of the bearer tokens: AUTH_JWT_SECRET when it is long enough; otherwise, where `useDataFolder`
 * (development mode, `npm start`, `npm run token`), a random one generated once into <data dir>/auth-jwt-secret
 * (mode 600) and reused.
 * Anything else throws: a production process never signs with a secret someone else may know.
 */
export function resolveJwtSecret(config: Config, useDataFolder: boolean): string {
  const problem = jwtSecretProblem(config.jwtSecret);
  if (!problem) return config.jwtSecret;
  if (!useDataFolder)
    throw new Error(
      `${problem}: set it to at least ${MIN_JWT_SECRET_BYTES} random bytes (openssl rand -hex 32), ` +
        'or set DOUDI_DEV=1 to use a development secret from the data folder',
    );
  return dataFolderSecret(config.dataDir, 'auth-jwt-secret');
}

/** A random secret kept in the data folder: created on first use, the same on every later start. */
export function dataFolderSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process wrote it first: use theirs
    }
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

/** The rules api/http/auth.ts checks tokens against, with the secret resolved. */
export function tokenRules(config: Config, secret: string) {
  return {
    secret,
    maxLifetimeSeconds: config.tokenMaxLifetimeSeconds,
  };
}

/** `npm run api` / `npm run worker`: the secret, or a refusal to start (outside development mode), said once. */
export function startupJwtSecret(config: Config): string {
  const problem = jwtSecretProblem(config.jwtSecret);
  const secret = resolveJwtSecret(config, config.devMode);
  if (problem) console.warn(`${problem}: development mode, using the data folder's secret (never in production)`);
  return secret;
}
