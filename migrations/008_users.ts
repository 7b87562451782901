// People who sign in to the console (issue 14). Machine clients stay in `integrators` with their API keys.
// The password is kept as an Argon2id hash only (api/users.ts); `sub` of the tokens the console gets is `username`.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.string('username', 64).notNullable().unique();
    t.string('name', 100).notNullable(); // shown in the console's header and next to claimed tasks
    t.string('role').notNullable();
    t.string('region_code', 12).notNullable().references('regions.code');
    t.string('department'); // a `department` user's department code
    t.text('password_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_login_at', { useTz: true });
    t.index(['region_code', 'role']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('users');
}
