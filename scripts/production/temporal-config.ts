// The Temporal server's static config for the topology: all four services in one process (as auto-setup runs them in
// compose) on PostgreSQL 12+ persistence and SQL visibility, after the module's config/development-postgres12.yaml.
// Written as JSON, which is YAML, so no YAML library is needed at run time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import type { Databases } from './database';

export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export const TEMPORAL_ENV = 'doudi';

/** Writes <root>/config/doudi.yaml; the server is then started with --root <root> --env doudi. */
export function writeTemporalConfig(
  root: string,
  db: Databases['temporal'],
  ports: TemporalPorts,
  logLevel = 'warn',
): string {
  const sql = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const config = {
    log: { stdout: true, level: logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // Fixed for the life of a cluster (deploy/README.md, Scaling); 4 is auto-setup's default, as compose runs it.
      numHistoryShards: 4,
      // Pool sizes of auto-setup's config template (SQL_MAX_CONNS 20, SQL_VIS_MAX_CONNS 10).
      datastores: { 'postgres-default': sql(db.database, 20), 'postgres-visibility': sql(db.visibilityDatabase, 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.historyMembership),
      matching: rpc(ports.matching, ports.matchingMembership),
      worker: rpc(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The same dynamic config compose mounts into its temporal service.
    dynamicConfigClient: {
      filepath: join(PROJECT_ROOT, 'deploy', 'temporal', 'dynamicconfig.yaml'),
      pollInterval: '10s',
    },
  };
  mkdirSync(join(root, 'config'), { recursive: true });
  const file = join(root, 'config', `${TEMPORAL_ENV}.yaml`);
  const header = '# Written by scripts/production/temporal-config.ts on every start; edit that file instead.';
  writeFileSync(file, `${header}\n${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}
