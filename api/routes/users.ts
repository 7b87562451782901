// User administration (用户管理) for admins, inside their own region: list, create, change role/region/department,
// reset the password, deactivate. Password hashes never leave the server.
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { RouteModule } from '../http/context';
import { RegionCodeSchema, UuidSchema } from '../http/schemas';
import { requireScope, scopedRegion } from '../http/auth';
import { HttpError, notFound } from '../http/errors';
import { page } from '../http/paging';
import { audit } from '../../data/audit';
import { DEPARTMENTS, ROLES } from '../../domain/glossary';
import { createUser, hashPassword, toUserView, UserRow } from '../../data/users';

const Password = z.string().min(10, 'at least 10 characters').max(200);
const UserBody = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'lower-case letters, digits, . _ -'),
    name: text(100),
    role: z.enum(ROLES),
    regionCode: RegionCodeSchema,
    department: z.enum(DEPARTMENTS).nullable().optional(),
    password: Password,
  })
  .strict();
const UserPatch = UserBody.omit({ username: true }).partial().extend({ active: z.boolean().optional() }).strict();
const UserQuery = z.object({
  region: RegionCodeSchema.optional(),
  role: z.enum(ROLES).optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  department: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

function checkDepartment(role: string, department: string | null | undefined): void {
  if (role === 'department' && !department)
    throw new HttpError(422, 'INVALID_USER', 'a department user needs a department', [
      { path: 'department', message: 'required for role department' },
    ]);
}

export const userRoutes: RouteModule = (api, { db }) => {
  const knownRegion = async (code: string) => {
    if (!(await db('regions').where({ code }).first('code')))
      throw new HttpError(422, 'UNKNOWN_REGION', `${code} is not a region of this county`);
  };

  api.route(
    {
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'Console users in your region',
      roles: ['admin'],
      query: UserQuery,
      response: { status: 200, description: 'Users', schema: z.object({ items: z.array(UserSchema) }) },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = db('users').where('region_code', 'like', `${region}%`).orderBy('username');
      if (query.role) q.where('role', query.role);
      if (query.active) q.where('active', query.active === 'true');
      return page(q, query, toUserView);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/users',
      tag: 'users',
      summary: 'Create a console user',
      roles: ['admin'],
      body: UserBody,
      example: {
        username: 'li.qiliying',
        name: '李娜',
        role: 'caseworker',
        regionCode: '410721100',
        password: '至少十个字符的初始密码',
      },
      response: { status: 201, description: 'Created', schema: UserSchema },
      errors: [400, 403, 409, 422],
    },
    async ({ user, body }) => {
      requireScope(user, body.regionCode);
      await knownRegion(body.regionCode);
      checkDepartment(body.role, body.department);
      if (await db('users').where({ username: body.username }).first('id'))
        throw new HttpError(409, 'USERNAME_TAKEN', `user name ${body.username} is taken`);
      const row = await db.transaction(async (trx) => {
        const created = await createUser(trx, body);
        await audit(trx, {
          actor: user.sub,
          role: user.role,
          action: 'user.create',
          entity: 'user',
          entityId: created.id,
          after: {
            username: created.username,
            role: created.role,
            regionCode: created.region_code,
            department: created.department,
          },
        });
        return created;
      });
      return toUserView(row);
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/users/:id',
      tag: 'users',
      summary: 'Change a user: name, role, region, department, active; a password resets it',
      roles: ['admin'],
      params: z.object({ id: UuidSchema }),
      body: UserPatch,
      response: { status: 200, description: 'Changed', schema: UserSchema },
      errors: [400, 403, 404, 422],
    },
    async ({ user, params, body }) => {
      const row: UserRow | undefined = await db('users').where({ id: params.id }).first();
      if (!row || !row.region_code.startsWith(user.region)) throw notFound('user');
      if (body.regionCode) {
        requireScope(user, body.regionCode);
        await knownRegion(body.regionCode);
      }
      const role = body.role ?? row.role;
      const department = body.department === undefined ? row.department : body.department;
      checkDepartment(role, department);
      if (row.username === user.sub && (body.active === false || (body.role && body.role !== 'admin'))) {
        throw new HttpError(422, 'INVALID_USER', 'you cannot deactivate yourself or drop your own admin role');
      }
      const patch: Record<string, unknown> = { updated_at: db.fn.now() };
      if (body.name !== undefined) patch.name = body.name;
      if (body.role !== undefined) patch.role = body.role;
      if (body.regionCode !== undefined) patch.region_code = body.regionCode;
      if (body.department !== undefined || body.role !== undefined)
        patch.department = role === 'department' ? department : null;
      if (body.active !== undefined) patch.active = body.active;
      if (body.password !== undefined) patch.password_hash = await hashPassword(body.password);
      const { password: _pw, ...changed } = body;
      const updated = await db.transaction(async (trx) => {
        const [u] = await trx('users').where({ id: row.id }).update(patch).returning('*');
        await audit(trx, {
          actor: user.sub,
          role: user.role,
          action: 'user.update',
          entity: 'user',
          entityId: row.id,
          after: { ...changed, ...(body.password ? { passwordReset: true } : {}) },
        });
        return u;
      });
      return toUserView(updated);
    },
  );
};
