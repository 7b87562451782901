// Console user accounts (table `users`, migrations/008_users.ts): Argon2id password hashes, and the claims a signed-in
// user's token carries. Shared by the sign-in and admin routes and by `npm start`'s development users.
import type { Db } from './db';
import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Knex } from 'knex';
import type { Department, Role } from '../domain/glossary';

export interface UserRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  region_code: string;
  department: Department | null;
  password_hash: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

// OWASP's minimum for Argon2id (19 MiB, 2 passes): ~30 ms here, cheap enough for sign-in, costly for guessing.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const hashPassword = (password: string) => hash(password, ARGON2);

// A hash of a password nobody has, verified when the user name is unknown so both answers take the same time.
let decoy: Promise<string> | undefined;

/** The active user with this name and password, else undefined; never says which of the two was wrong. */
export async function checkPassword(db: Knex, username: string, password: string): Promise<UserRow | undefined> {
  const row: UserRow | undefined = await db('users').where({ username }).first();
  if (!row) {
    decoy ??= hashPassword(randomUUID());
    await verify(await decoy, password).catch(() => false);
    return undefined;
  }
  const ok = await verify(row.password_hash, password).catch(() => false);
  return ok && row.active ? row : undefined;
}

/** The claims of a signed-in user's token (api/http/auth.ts signs them). */
export interface UserClaims {
  sub: string;
  role: Role;
  region: string;
  department?: Department;
}

/** What goes into the token: the user name is the subject, so audit entries and claims name a person. */
export function claimsOf(row: Pick<UserRow, 'username' | 'role' | 'region_code' | 'department'>): UserClaims {
  return {
    sub: row.username,
    role: row.role,
    region: row.region_code,
    ...(row.department ? { department: row.department } : {}),
  };
}

export function toUserView(r: UserRow) {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    role: r.role,
    regionCode: r.region_code,
    department: r.department ?? null,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    lastLoginAt: r.last_login_at ? r.last_login_at.toISOString() : null,
  };
}

export interface NewUser {
  username: string;
  name: string;
  role: Role;
  regionCode: string;
  department?: Department | null;
  password: string;
}

export async function createUser(db: Db, u: NewUser): Promise<UserRow> {
  const [row] = await db('users')
    .insert({
      id: randomUUID(),
      username: u.username,
      name: u.name,
      role: u.role,
      region_code: u.regionCode,
      department: u.department ?? null,
      password_hash: await hashPassword(u.password),
      active: true,
    })
    .returning('*');
  return row;
}

/** Creates the user, or resets role, region, name and password of an existing one (development users at each start). */
export async function upsertUser(db: Knex, u: NewUser): Promise<void> {
  await db('users')
    .insert({
      id: randomUUID(),
      username: u.username,
      name: u.name,
      role: u.role,
      region_code: u.regionCode,
      department: u.department ?? null,
      password_hash: await hashPassword(u.password),
      active: true,
    })
    .onConflict('username')
    .merge(['name', 'role', 'region_code', 'department', 'password_hash', 'active', 'updated_at']);
}
