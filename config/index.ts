// Every setting comes from the environment, with defaults for the embedded one-command set-up.
// The same variable names work in docker-compose.yml and on a bare machine.
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
  jwtSecret: string;
  jwtSecretIsDevDefault: boolean;
  dataDir: string;
  publicBaseUrl: string;
}

const DEV_JWT_SECRET = 'doudi-development-secret-change-me';

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
    jwtSecret: env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET,
    jwtSecretIsDevDefault: !env.AUTH_JWT_SECRET,
    dataDir: resolve(env.DOUDI_DATA_DIR ?? join(PROJECT_ROOT, '.data')),
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
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
