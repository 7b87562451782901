// The database role the API and the workers connect as (docs/architecture.md, "The audit log"): every DML right on
// the application's tables except on the audit log, which it may only read and append to, and none on the chain head
// (the chain trigger, migrations/011_audit_chain.ts, writes it with the owner's rights). Migrations run as the owner;
// `npm run migrate` grants after every run, so a table a later migration adds is granted too.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Knex } from 'knex';

export const APP_ROLE = 'doudi_app';

/** Creates the role (or resets its password); needs CREATEROLE, as the embedded database's owner has. */
export async function ensureAppRole(owner: Knex, password: string): Promise<void> {
  const exists = await owner.raw('select 1 from pg_roles where rolname = ?', [APP_ROLE]);
  const verb = exists.rowCount ? 'alter' : 'create';
  // Identifiers and passwords cannot be bound parameters; the password is ours (hex), the name a constant.
  if (!/^[0-9a-f]+$/.test(password)) throw new Error('the application role password must be hex');
  await owner.raw(`${verb} role ${APP_ROLE} login password '${password}' nosuperuser nocreatedb nocreaterole`);
}

/** Grants the role its rights on the current schema; does nothing when the role does not exist (an older set-up). */
export async function grantAppPrivileges(owner: Knex): Promise<boolean> {
  const exists = await owner.raw('select 1 from pg_roles where rolname = ?', [APP_ROLE]);
  if (!exists.rowCount) return false;
  const db = (await owner.raw('select current_database() as name')).rows[0].name as string;
  await owner.raw(`
    grant connect, temporary on database "${db}" to ${APP_ROLE};
    grant usage on schema public to ${APP_ROLE};
    grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
    grant usage, select on all sequences in schema public to ${APP_ROLE};
    revoke update, delete, truncate, references, trigger on audit_log from ${APP_ROLE};
    revoke all on audit_chain_head, knex_migrations, knex_migrations_lock from ${APP_ROLE};
  `);
  return true;
}

/** The URL of the same database as the application role. */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = password;
  return u.toString();
}

/** The role's password for `npm start`, generated once into the data folder (mode 600). */
export function appRolePassword(dataDir: string): string {
  const file = join(dataDir, 'keys', 'app-db-password');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}
