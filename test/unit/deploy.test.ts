// Static checks of the deployment files (docker-compose.yml, Dockerfile, deploy/) against the code they run.
// There is no Docker engine in CI, so nothing is built or started: the files are parsed and cross-checked.
// `yaml` is a transitive dependency (via @asteasolutions/zod-to-openapi → openapi3-ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../engine/search-attributes';

const ROOT = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string | string[] };
  restart?: string;
  ports?: string[];
  deploy?: { replicas?: number };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Compose files use `<<` merge keys (x-doudi-app); YAML 1.2 parsers need them switched on.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services;
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
};

const APP_SERVICES = ['api', 'worker', 'migrate'] as const;
const ALL_SERVICES = ['postgresql', 'temporal', 'temporal-ui', 'temporal-admin-tools', ...APP_SERVICES];

function env(service: Service): Record<string, string> {
  const e = service.environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(
      e.map((kv) => {
        const i = kv.indexOf('=');
        return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

const commandLine = (c: string | string[] | undefined) => (Array.isArray(c) ? c.join(' ') : (c ?? ''));

/** Names the code reads as `env.NAME`, `process.env.NAME` or `env['NAME']`. */
function envNamesReadBy(path: string): Set<string> {
  const src = read(path);
  const names = new Set<string>();
  for (const m of src.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1]);
  for (const m of src.matchAll(/\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g)) names.add(m[1]);
  return names;
}

// Settings live in config/index.ts and the notification transports; worker.ts adds LOG_LEVEL.
const CONFIG_SOURCES = [
  'config/index.ts',
  'engine/notifications/transports.ts',
  'worker.ts',
  'engine/payload-codec.ts',
];
const KNOWN_ENV = new Set(CONFIG_SOURCES.flatMap((p) => [...envNamesReadBy(p)]));

describe('docker-compose.yml', () => {
  it('parses and has the production services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(ALL_SERVICES));
  });

  it('reads the expected variables from the code (sanity check of the scan)', () => {
    for (const name of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'AUTH_JWT_SECRET',
      'SMTP_HOST',
      'WEBHOOK_SECRETS',
    ]) {
      expect(KNOWN_ENV).toContain(name);
    }
  });

  it.each(APP_SERVICES)('%s sets only variables the code reads', (name) => {
    const unknown = Object.keys(env(services[name])).filter((k) => !KNOWN_ENV.has(k));
    expect(unknown).toEqual([]);
  });

  it.each([
    ['api', ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'AUTH_JWT_SECRET']],
    ['worker', ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'AUTH_JWT_SECRET']],
    ['migrate', ['DATABASE_URL']],
  ] as const)('%s gets the variables it needs', (name, required) => {
    const e = env(services[name]);
    for (const k of required) expect(e[k]).toBeTruthy();
  });

  it('exposes every variable the code reads to api and worker, so operators see every setting', () => {
    for (const name of ['api', 'worker']) {
      const missing = [...KNOWN_ENV].filter((k) => !(k in env(services[name])));
      expect({ service: name, missing }).toEqual({ service: name, missing: [] });
    }
  });

  it('requires AUTH_JWT_SECRET instead of defaulting it', () => {
    for (const name of ['api', 'worker'])
      expect(env(services[name]).AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
  });

  it("requires DOUDI_PAYLOAD_KEY, and points the Temporal UI at the API's payload codec", () => {
    for (const name of ['api', 'worker'])
      expect(env(services[name]).DOUDI_PAYLOAD_KEY).toMatch(/^\$\{DOUDI_PAYLOAD_KEY:\?/);
    const ui = env(services['temporal-ui']);
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  });

  it('points DATABASE_URL at the doudi database: api and worker as the application role, migrate as the owner', () => {
    for (const name of ['api', 'worker'])
      expect(env(services[name]).DATABASE_URL).toMatch(/^postgres(ql)?:\/\/doudi_app:[^@]+@postgresql:5432\/doudi$/);
    expect(env(services.migrate).DATABASE_URL).toMatch(/^postgres(ql)?:\/\/doudi:[^@]+@postgresql:5432\/doudi$/);
    expect(env(services.migrate).TEMPORAL_ADDRESS).toBe('temporal:7233');
    const init = read('deploy/postgres-init/10-create-databases.sh');
    expect(init).toMatch(/CREATE ROLE doudi_app LOGIN/);
    expect(env(services.postgresql).DOUDI_APP_DB_PASSWORD).toBeDefined();
    expect(env(services.api).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('runs existing npm scripts for api, worker and migrate', () => {
    for (const name of APP_SERVICES) {
      const m = /^npm run (\S+)$/.exec(commandLine(services[name].command));
      expect(m?.[1]).toBe(name);
      expect(pkg.scripts).toHaveProperty(name);
    }
  });

  it('builds the app services from the repository Dockerfile', () => {
    for (const name of APP_SERVICES) {
      const build = services[name].build;
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = (typeof build === 'object' && build.dockerfile) || 'Dockerfile';
      expect(context).toBeDefined();
      expect(existsSync(join(ROOT, context!, dockerfile))).toBe(true);
    }
  });

  it('publishes the Temporal UI (no login, shows workflow inputs) on the loopback interface only', () => {
    const ports = services['temporal-ui'].ports ?? [];
    expect(ports.length).toBeGreaterThan(0);
    for (const p of ports) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    // Nothing else of Temporal is published either: only the API faces the network.
    expect(services.temporal.ports ?? []).toEqual([]);
  });

  it('has the API listen on every interface inside its container, where the published port reaches it', () => {
    expect(env(services.api).API_HOST).toBe('0.0.0.0');
  });

  it('scales out by worker replicas', () => {
    expect(services.worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it('health-checks the API on /readyz at its PORT', () => {
    const test = commandLine(services.api.healthcheck?.test);
    expect(test).toContain(`:${env(services.api).PORT}/readyz`);
  });

  it('depends only on services that exist, and waits on health only where a health check is defined', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = service.depends_on ?? [];
      const entries = Array.isArray(deps) ? deps.map((d) => [d, {}] as const) : Object.entries(deps);
      for (const [target, { condition }] of entries as [string, { condition?: string }][]) {
        expect({ service: name, dependsOn: target, exists: target in services }).toEqual({
          service: name,
          dependsOn: target,
          exists: true,
        });
        if (condition === 'service_healthy') expect(services[target].healthcheck).toBeDefined();
        if (condition === 'service_completed_successfully') expect(services[target].restart).toBe('no');
      }
    }
  });

  it('mounts only files that exist in the repository and volumes that are declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const v of service.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0] : (v.source ?? '');
        if (source.startsWith('./') || source.startsWith('../')) {
          expect({ service: name, source, exists: existsSync(join(ROOT, source)) }).toEqual({
            service: name,
            source,
            exists: true,
          });
        } else if (!source.startsWith('/')) {
          expect(Object.keys(compose.volumes ?? {})).toContain(source);
        }
      }
    }
  });

  it('creates the databases the services use in the postgres init script', () => {
    const init = services.postgresql.volumes?.find(
      (v) => typeof v === 'string' && v.includes('/docker-entrypoint-initdb.d'),
    );
    expect(typeof init).toBe('string');
    const dir = join(ROOT, (init as string).split(':')[0]);
    expect(statSync(dir).isDirectory()).toBe(true);
    const script = read(relative(ROOT, join(dir, '10-create-databases.sh')));
    for (const db of ['temporal', 'temporal_visibility', 'doudi'])
      expect(script).toContain(`CREATE DATABASE ${db} OWNER`);
    expect(env(services.temporal).DB).toBe('postgres12');
    expect(env(services.temporal).POSTGRES_SEEDS).toBe('postgresql');
  });

  it('points Temporal at the dynamic config file it mounts', () => {
    const e = env(services.temporal);
    const mount = services.temporal.volumes?.find((v) => typeof v === 'string' && v.startsWith('./deploy/temporal/'));
    expect(typeof mount).toBe('string');
    const target = (mount as string).split(':')[1];
    expect(`/etc/temporal/${e.DYNAMIC_CONFIG_FILE_PATH}`).toBe(target);
    const dynamic = parse(read((mount as string).split(':')[0])) as Record<string, { value: unknown }[]>;
    expect(dynamic['frontend.enableUpdateWorkflowExecution']?.[0]?.value).toBe(true); // the API uses Workflow Updates
  });

  it('registers exactly the search attributes the workflows define, on the namespace the apps use', () => {
    const script = commandLine(services['temporal-admin-tools'].command);
    const registered = Object.fromEntries(
      [...script.matchAll(/--name\s+(\S+)\s+--type\s+(\S+)/g)].map((m) => [m[1], m[2]]),
    );
    expect(registered).toEqual(SEARCH_ATTRIBUTE_DEFINITIONS);
    expect(script).toContain('--address temporal:7233');
    const namespaces = new Set([...script.matchAll(/--namespace\s+(\S+)/g)].map((m) => m[1]));
    expect([...namespaces]).toEqual([env(services.api).TEMPORAL_NAMESPACE]);
    expect(env(services.temporal).DEFAULT_NAMESPACE).toBe(env(services.api).TEMPORAL_NAMESPACE);
  });
});

// ------------------------------------------------------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
}

function dockerfileInstructions(text: string): Instruction[] {
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  return logical
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l)!;
      return { op: m[1].toUpperCase(), args: m[2] };
    });
}

describe('Dockerfile', () => {
  const path = join(ROOT, 'Dockerfile');
  const instructions = existsSync(path) ? dockerfileInstructions(readFileSync(path, 'utf8')) : [];
  // COPY --from=<stage> brings a build stage's output (the console's web/dist), not a file of the checkout.
  const copies = instructions
    .filter((i) => i.op === 'COPY')
    .map((i) => ({ fromStage: /--from=/.test(i.args), parts: i.args.split(/\s+/).filter((a) => !a.startsWith('--')) }))
    .map(({ fromStage, parts }) => ({
      fromStage,
      sources: parts.slice(0, -1).map((s) => (fromStage ? s.replace(/^\/app\//, '') : s)),
      dest: parts[parts.length - 1],
    }));
  const copiedSources = copies.flatMap((c) => c.sources).map((s) => s.replace(/^\.\//, '').replace(/\/$/, ''));
  const checkoutSources = copies
    .filter((c) => !c.fromStage)
    .flatMap((c) => c.sources)
    .map((s) => s.replace(/^\.\//, '').replace(/\/$/, ''));

  it('exists and is based on Node 20 slim', () => {
    expect(existsSync(path)).toBe(true);
    expect(instructions.find((i) => i.op === 'FROM')?.args).toMatch(/^node:20-bookworm-slim\b/);
  });

  it('runs an npm script that exists by default', () => {
    const cmd = instructions.filter((i) => i.op === 'CMD').pop();
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv.slice(0, 2)).toEqual(['npm', 'run']);
    expect(pkg.scripts).toHaveProperty(argv[2]);
  });

  it('runs as a non-root user', () => {
    const user = instructions.filter((i) => i.op === 'USER').pop()?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
  });

  it('skips the Temporal dev-binary download on npm ci only, without persisting the variables', () => {
    const npmCiIndex = instructions.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(npmCiIndex).toBeGreaterThanOrEqual(0);
    const run = instructions[npmCiIndex].args;
    expect(run).toMatch(/\bTEMPORAL_CLI_PATH=\/\S+/);
    expect(run).toMatch(/\bTEMPORAL_TEST_SERVER_PATH=\/\S+/);
    for (const i of instructions.filter((x) => x.op === 'ENV' || x.op === 'ARG'))
      expect(i.args).not.toMatch(/TEMPORAL_(CLI|TEST_SERVER)_PATH/);

    // the postinstall hook's script must be in the image before npm ci runs it
    const hook = /node\s+(\S+)/.exec(pkg.scripts.postinstall ?? '')?.[1];
    if (hook) {
      const copiedBefore = copies.slice(0, instructions.slice(0, npmCiIndex).filter((i) => i.op === 'COPY').length);
      expect(copiedBefore.flatMap((c) => c.sources)).toContain(hook);
    }
  });

  it('copies only paths that exist', () => {
    for (const source of checkoutSources)
      expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
  });

  it('copies every source file reachable from the compose entry points', () => {
    const covered = (file: string) => copiedSources.some((s) => file === s || file.startsWith(`${s}/`));
    const files = reachableFiles(composeEntryFiles());
    expect(files.size).toBeGreaterThan(20); // the walk really follows imports (worker → activities → domain …)
    const missing = new Set<string>();
    for (const file of files) {
      if (!covered(file)) missing.add(file);
      // files read at run time relative to the project root, e.g. join(PROJECT_ROOT, 'bpmn', …)
      for (const m of read(file).matchAll(/PROJECT_ROOT,\s*'([^'.][^']*)'/g)) if (!covered(m[1])) missing.add(m[1]);
    }
    expect([...missing]).toEqual([]);
  });

  it('installs every package those files load at run time (npm ci --omit=dev drops devDependencies)', () => {
    const dependencies = Object.keys(pkg.dependencies ?? {});
    const notInstalled = new Set<string>();
    for (const file of reachableFiles(composeEntryFiles())) {
      if (!/\.[jt]s$/.test(file)) continue;
      const src = read(file).replace(/^\s*import\s+type\b.*$/gm, ''); // type-only imports vanish at run time
      const specs = [
        ...src.matchAll(/\bfrom\s+['"]([^'".][^'"]*)['"]/g),
        ...src.matchAll(/\bimport\s+['"]([^'".][^'"]*)['"]/g),
        ...src.matchAll(/\b(?:require|require\.resolve|import)\(\s*['"]([^'".][^'"]*)['"]\s*\)/g),
      ].map((m) => m[1]);
      for (const spec of specs) {
        if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!dependencies.includes(name)) notInstalled.add(`${name} (${file})`);
      }
    }
    expect([...notInstalled]).toEqual([]);
  });
});

/** The files the app services start: `npm run X` in compose → `tsx <file>` in package.json. */
function composeEntryFiles(): string[] {
  return APP_SERVICES.map((name) => {
    const script = /^npm run (\S+)$/.exec(commandLine(services[name].command))![1];
    return /^tsx\s+(\S+)$/.exec(pkg.scripts[script])![1];
  });
}

/** Repository files reachable through relative imports/requires from the entry files (unresolvable ones skipped). */
function reachableFiles(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts') && !file.endsWith('.js')) continue;
    const src = read(file);
    const specs = [
      ...src.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/g),
      ...src.matchAll(/\bimport\s+['"](\.{1,2}\/[^'"]*)['"]/g),
      ...src.matchAll(/\b(?:require|require\.resolve|import)\(\s*['"](\.{1,2}\/[^'"]*|\.{1,2})['"]\s*\)/g),
    ].map((m) => m[1]);
    for (const spec of specs) {
      const target = resolveModule(join(dirname(join(ROOT, file)), spec));
      if (target) queue.push(relative(ROOT, target));
    }
  }
  return seen;
}

function resolveModule(base: string): string | undefined {
  const candidates = [base, `${base}.ts`, `${base}.js`, `${base}.json`, join(base, 'index.ts'), join(base, 'index.js')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

describe('deploy/README.md', () => {
  it('documents every variable the code reads', () => {
    const readme = read('deploy/README.md');
    const undocumented = [...KNOWN_ENV].filter((k) => !readme.includes(`\`${k}\``));
    expect(undocumented).toEqual([]);
  });
});
