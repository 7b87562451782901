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
  jwtSecret: string;
  jwtSecretIsDevDefault: boolean;
  dataDir: string;
  publicBaseUrl: string;
  /** Origins of the Temporal UI allowed to call the API's payload codec (api/http/codec.ts). */
  codecCorsOrigins: string[];
  /** How often a worker looks for case rows whose workflow never started (scripts/lib/reconcile-starts.ts); 0: off. */
  reconcileIntervalMs: number;
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
    jwtSecret: env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET,
    jwtSecretIsDevDefault: !env.AUTH_JWT_SECRET,
    dataDir: resolve(env.DOUDI_DATA_DIR ?? join(PROJECT_ROOT, '.data')),
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    // npm start's Temporal dev server UI (port 8233) and docker-compose.yml's temporal-ui (8080).
    codecCorsOrigins: (env.DOUDI_CODEC_CORS_ORIGINS ?? 'http://localhost:8233,http://localhost:8080')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    reconcileIntervalMs: Number(env.DOUDI_RECONCILE_INTERVAL_SECONDS ?? 60) * 1_000,
  };
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
  return config.databaseUrl;
}
