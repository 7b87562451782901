// The token rules of api/http/auth.ts verifyToken and the start-up rule for AUTH_JWT_SECRET (config/index.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { signToken, verifyToken, JWT_AUDIENCE, JWT_ISSUER } from '../../api/http/auth';
import { loadConfig, PROJECT_ROOT, resolveJwtSecret } from '../../config';

const secret = 'x'.repeat(32);
const rules = { secret, maxLifetimeSeconds: 12 * 3600 };
const now = Date.UTC(2026, 11, 3, 8, 0, 0);
const t = Math.floor(now / 1000);
const raw = (claims: Record<string, unknown>, key = secret) =>
  jwt.sign(
    {
      sub: 'cw',
      role: 'caseworker',
      region: '410721100',
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      iat: t,
      exp: t + 3600,
      ...claims,
    },
    key,
    { algorithm: 'HS256' },
  );

describe('verifyToken', () => {
  it('accepts what signToken issues', () => {
    const token = signToken(secret, { sub: 'cw', role: 'caseworker', region: '410721100' });
    expect(verifyToken(token, rules)).toEqual({ sub: 'cw', role: 'caseworker', region: '410721100' });
  });

  it.each([
    ['no exp', { exp: undefined }],
    ['expired', { exp: t - 1 }],
    ['a lifetime beyond the maximum', { exp: t + 12 * 3600 + 1 }],
    ['iat in the future', { iat: t + 3600, exp: t + 7200 }],
    ['no iat', { iat: undefined }],
    ['another issuer', { iss: 'someone-else' }],
    ['no issuer', { iss: undefined }],
    ['another audience', { aud: 'other-api' }],
    ['no audience', { aud: undefined }],
    ['sub "system"', { sub: 'system' }],
    ['sub "System:timer"', { sub: 'System:timer' }],
    ['an unknown role', { role: 'root' }],
  ])('refuses a token with %s', (_what, claims) => {
    expect(() => verifyToken(raw(claims), rules, now)).toThrow();
  });

  it('refuses another secret and another algorithm', () => {
    expect(() => verifyToken(raw({}, 'y'.repeat(32)), rules, now)).toThrow();
    const none = jwt.sign(
      { sub: 'cw', role: 'caseworker', region: '410721100', iss: JWT_ISSUER, aud: JWT_AUDIENCE },
      '',
      {
        algorithm: 'none',
        expiresIn: 60,
      },
    );
    expect(() => verifyToken(none, rules, now)).toThrow();
  });

  it('honours a department claim only for the department role', () => {
    expect(verifyToken(raw({ role: 'department', department: 'HEALTH' }), rules, now).department).toBe('HEALTH');
    expect(verifyToken(raw({ department: 'HEALTH' }), rules, now)).not.toHaveProperty('department');
  });

  it('allows a minute of clock skew on iat', () => {
    expect(verifyToken(raw({ iat: t + 30 }), rules, now).sub).toBe('cw');
  });
});

describe('AUTH_JWT_SECRET', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'doudi-secret-'));

  it('is refused when unset or shorter than 32 bytes outside development mode', () => {
    expect(() => resolveJwtSecret(loadConfig({ DOUDI_DATA_DIR: dataDir() }), false)).toThrow(/not set/);
    expect(() => resolveJwtSecret(loadConfig({ AUTH_JWT_SECRET: 'short', DOUDI_DATA_DIR: dataDir() }), false)).toThrow(
      /shorter than 32 bytes/,
    );
    expect(resolveJwtSecret(loadConfig({ AUTH_JWT_SECRET: secret }), false)).toBe(secret);
  });

  it('comes from the data folder otherwise: random, generated once, mode 600, the same next time', () => {
    const dir = dataDir();
    const a = resolveJwtSecret(loadConfig({ DOUDI_DATA_DIR: dir }), true);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveJwtSecret(loadConfig({ DOUDI_DATA_DIR: dir }), true)).toBe(a);
    expect(readFileSync(join(dir, 'auth-jwt-secret'), 'utf8').trim()).toBe(a);
    expect(statSync(join(dir, 'auth-jwt-secret')).mode & 0o777).toBe(0o600);
    expect(resolveJwtSecret(loadConfig({ DOUDI_DATA_DIR: dataDir() }), true)).not.toBe(a);
  });

  it.each([
    ['api', 'api/server.ts'],
    ['worker', 'worker.ts'],
  ])(
    'npm run %s refuses to start without it unless DOUDI_DEV=1',
    (_name, entry) => {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOUDI_DATA_DIR: dataDir() };
      const run = (extra: Record<string, string>) =>
        spawnSync(process.execPath, [require.resolve('tsx/cli'), join(PROJECT_ROOT, entry)], {
          env: { ...env, ...extra },
          encoding: 'utf8',
          timeout: 30_000,
        });
      const refused = run({ AUTH_JWT_SECRET: 'too-short' });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/AUTH_JWT_SECRET is shorter than 32 bytes/);
      expect(run({}).stderr).toMatch(/AUTH_JWT_SECRET is not set/);
      // In development mode it gets past the secret and stops at the next thing it lacks (no DATABASE_URL).
      const dev = run({ DOUDI_DEV: '1' });
      expect(dev.stderr).toMatch(/development mode, using the data folder's secret/);
      expect(dev.stderr).toMatch(/DATABASE_URL is not set/);
    },
    60_000,
  );
});
