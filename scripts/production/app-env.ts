// The environment of the application processes, name for name the x-doudi-env block of docker-compose.yml (and with
// its defaults), so the topology runs the code exactly as compose would. test/unit/topology.test.ts keeps the two in
// step.
export const APP_ENV_NAMES = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'AUTH_JWT_SECRET',
  'DOUDI_PAYLOAD_KEY',
  'DOUDI_CODEC_CORS_ORIGINS',
  'DOUDI_RECONCILE_INTERVAL_SECONDS',
  'DOUDI_WORKFLOW_STACK_TRACES',
  'AUTH_TOKEN_MAX_HOURS',
  'DOUDI_DEV',
  'PORT',
  'API_HOST',
  'TRUST_PROXY',
  'AUTH_FAILURE_LIMIT',
  'PUBLIC_BASE_URL',
  'DOUDI_DATA_DIR',
  'LOG_LEVEL',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_SECURE',
  'SMTP_USER',
  'SMTP_PASS',
  'SMTP_FROM',
  'WEBHOOK_SECRETS',
  'WEBHOOK_ALLOW_HTTP',
] as const;
export type AppEnvName = (typeof APP_ENV_NAMES)[number];

/** What a process needs to run at all (a container has these from its image); nothing else leaks in. */
const BASE = ['PATH', 'HOME', 'USER', 'LANG', 'TZ', 'TMPDIR', 'NODE_EXTRA_CA_CERTS'];

export function appEnv(
  set: Pick<
    Record<AppEnvName, string>,
    'DATABASE_URL' | 'TEMPORAL_ADDRESS' | 'AUTH_JWT_SECRET' | 'PORT' | 'DOUDI_DATA_DIR'
  >,
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const or = (name: AppEnvName, fallback: string) => from[name] ?? fallback;
  const env: Record<AppEnvName, string> = {
    ...set,
    TEMPORAL_NAMESPACE: or('TEMPORAL_NAMESPACE', 'default'),
    TEMPORAL_TASK_QUEUE: or('TEMPORAL_TASK_QUEUE', 'doudi'),
    // Empty: the key file in the shared DOUDI_DATA_DIR (engine/payload-codec.ts), one key for api and workers.
    DOUDI_PAYLOAD_KEY: or('DOUDI_PAYLOAD_KEY', ''),
    DOUDI_CODEC_CORS_ORIGINS: or('DOUDI_CODEC_CORS_ORIGINS', 'http://localhost:8080'),
    DOUDI_RECONCILE_INTERVAL_SECONDS: or('DOUDI_RECONCILE_INTERVAL_SECONDS', '60'),
    DOUDI_WORKFLOW_STACK_TRACES: or('DOUDI_WORKFLOW_STACK_TRACES', ''),
    PUBLIC_BASE_URL: or('PUBLIC_BASE_URL', `http://localhost:${set.PORT}`),
    AUTH_TOKEN_MAX_HOURS: or('AUTH_TOKEN_MAX_HOURS', '12'),
    DOUDI_DEV: '', // a production topology never runs in development mode
    LOG_LEVEL: or('LOG_LEVEL', 'INFO'),
    API_HOST: or('API_HOST', '127.0.0.1'),
    TRUST_PROXY: or('TRUST_PROXY', ''),
    AUTH_FAILURE_LIMIT: or('AUTH_FAILURE_LIMIT', '20'),
    SMTP_HOST: or('SMTP_HOST', ''),
    SMTP_PORT: or('SMTP_PORT', ''),
    SMTP_SECURE: or('SMTP_SECURE', ''),
    SMTP_USER: or('SMTP_USER', ''),
    SMTP_PASS: or('SMTP_PASS', ''),
    SMTP_FROM: or('SMTP_FROM', ''),
    WEBHOOK_SECRETS: or('WEBHOOK_SECRETS', ''),
    WEBHOOK_ALLOW_HTTP: or('WEBHOOK_ALLOW_HTTP', 'false'),
  };
  return { ...Object.fromEntries(BASE.flatMap((k) => (from[k] === undefined ? [] : [[k, from[k]]]))), ...env };
}
