// Static checks of scripts/production/ against docker-compose.yml: the topology runs the application processes with
// compose's environment, and its Temporal config points at what compose mounts. Nothing is started here; the running
// topology is test/topology/ (`npm run test:topology`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { APP_ENV_NAMES, appEnv } from '../../scripts/production/app-env';
import { writeTemporalConfig } from '../../scripts/production/temporal-config';

const ROOT = resolve(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  'x-doudi-env': Record<string, unknown>;
};

describe('scripts/production', () => {
  it("gives the application processes the variables of compose's x-doudi-env, no more, no fewer", () => {
    expect([...APP_ENV_NAMES].sort()).toEqual(Object.keys(compose['x-doudi-env']).sort());
    const env = appEnv(
      {
        DATABASE_URL: 'postgres://d',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        AUTH_JWT_SECRET: 's',
        PORT: '1',
        DOUDI_DATA_DIR: '/d',
      },
      { PATH: '/bin', DOUDI_SECRET_THING: 'x' },
    );
    expect(Object.keys(env).sort()).toEqual([...APP_ENV_NAMES, 'PATH'].sort());
    expect(env).toMatchObject({
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'doudi',
      LOG_LEVEL: 'INFO',
      WEBHOOK_ALLOW_HTTP: 'false',
      SMTP_HOST: '',
    });
  });

  it("writes a Temporal config on PostgreSQL with compose's dynamic config", () => {
    const dir = mkdtempSync(join(tmpdir(), 'doudi-topology-'));
    try {
      const ports = {
        frontend: 1,
        frontendHttp: 2,
        frontendMembership: 3,
        history: 4,
        historyMembership: 5,
        matching: 6,
        matchingMembership: 7,
        worker: 8,
        workerMembership: 9,
      };
      const file = writeTemporalConfig(
        dir,
        {
          host: '127.0.0.1',
          port: 5432,
          user: 'temporal',
          password: 'p',
          database: 'temporal',
          visibilityDatabase: 'temporal_visibility',
        },
        ports,
      );
      const config = parse(readFileSync(file, 'utf8'));
      expect(config.persistence.datastores['postgres-default'].sql).toMatchObject({
        pluginName: 'postgres12',
        databaseName: 'temporal',
      });
      expect(config.persistence.datastores['postgres-visibility'].sql).toMatchObject({
        pluginName: 'postgres12',
        databaseName: 'temporal_visibility',
      });
      expect(config.dynamicConfigClient.filepath).toBe(join(ROOT, 'deploy', 'temporal', 'dynamicconfig.yaml'));
      expect(config.services.frontend.rpc.grpcPort).toBe(1);
      expect(
        new Set(
          Object.values(config.services).flatMap((s) => [
            (s as { rpc: { grpcPort: number } }).rpc.grpcPort,
            (s as { rpc: { membershipPort: number } }).rpc.membershipPort,
          ]),
        ).size,
      ).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
