// Sign-in for the console: a user name and password give the same HS256 JWT the API always accepted (api/auth.ts),
// short-lived; the console refreshes it while the person works, and signs in again after a pause longer than that.
import { z } from 'zod';
import type { Knex } from 'knex';
import type { Config } from '../../config';
import type { RouteModule } from '../http/context';
import { signToken, User } from '../http/auth';
import { HttpError, notFound } from '../http/errors';
import { audit } from '../../data/audit';
import { ROLES, DEPARTMENTS } from '../../domain/glossary';
import { checkPassword, claimsOf, UserRow } from '../../data/users';

/** Minutes a console token lives; `CONSOLE_SESSION_MINUTES`, default 30. */
export const sessionMinutes = (env: NodeJS.ProcessEnv = process.env) =>
  Math.max(1, Number(env.CONSOLE_SESSION_MINUTES ?? 30) || 30);

const LoginBody = z
  .object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) })
  .strict();
const MeSchema = z.object({
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  department: z.enum(DEPARTMENTS).nullable(),
});
const SessionSchema = z.object({ token: z.string(), expiresAt: z.string(), user: MeSchema });

async function me(db: Knex, row: Pick<UserRow, 'username' | 'name' | 'role' | 'region_code' | 'department'>) {
  const region = await db('regions').where({ code: row.region_code }).first('name');
  return {
    username: row.username,
    name: row.name,
    role: row.role,
    regionCode: row.region_code,
    regionName: region?.name ?? null,
    department: row.department ?? null,
  };
}

function session(config: Config, user: User) {
  // A session never outlives what the API accepts of any token (AUTH_TOKEN_MAX_HOURS).
  const minutes = Math.min(sessionMinutes(), Math.floor(config.tokenMaxLifetimeSeconds / 60));
  return {
    token: signToken(config.jwtSecret, user, `${minutes}m`),
    expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
  };
}

/** The signed-in person's row; tokens made by `npm run token` have none and cannot be refreshed. */
async function activeUser(db: Knex, sub: string): Promise<UserRow> {
  const row: UserRow | undefined = await db('users').where({ username: sub, active: true }).first();
  if (!row) throw new HttpError(401, 'UNAUTHENTICATED', 'no active console user behind this token');
  return row;
}

export const authRoutes: RouteModule = (api, { db, config }) => {
  api.route(
    {
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: 'Sign in with user name and password; answers a short-lived bearer token',
      auth: 'none',
      body: LoginBody,
      example: { username: 'caseworker', password: '（npm start 打印的开发密码）' },
      response: { status: 200, description: 'Signed in', schema: SessionSchema },
      errors: [400, 401],
    },
    async ({ body, req }) => {
      const row = await checkPassword(db, body.username, body.password);
      if (!row) {
        // Neither the user name nor the password tried is logged: a mistyped password may be someone's real one.
        throw new HttpError(401, 'INVALID_CREDENTIALS', 'unknown user name or wrong password');
      }
      await db('users').where({ id: row.id }).update({ last_login_at: db.fn.now() });
      await audit(db, {
        actor: row.username,
        role: row.role,
        action: 'user.login',
        entity: 'user',
        entityId: row.id,
        after: { ip: req.ip ?? null },
      });
      return { ...session(config, claimsOf(row)), user: await me(db, row) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/refresh',
      tag: 'auth',
      summary: 'A fresh token for a signed-in console user (role and region as stored now)',
      response: { status: 200, description: 'Refreshed', schema: SessionSchema },
      errors: [401],
    },
    async ({ user }) => {
      const row = await activeUser(db, user.sub);
      return { ...session(config, claimsOf(row)), user: await me(db, row) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      summary: 'Who you are: name, role, region (with its name), department',
      response: { status: 200, description: 'You', schema: MeSchema },
      errors: [401, 404],
    },
    async ({ user }) => {
      const row: UserRow | undefined = await db('users').where({ username: user.sub, active: true }).first();
      if (row) return me(db, row);
      if (user.integratorId) throw notFound('console user');
      // A development token (npm run token) names no stored user: describe it from its claims.
      return me(db, {
        username: user.sub,
        name: user.sub,
        role: user.role,
        region_code: user.region,
        department: user.department ?? null,
      });
    },
  );
};
