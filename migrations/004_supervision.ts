// Supervision and escalation (issue 6): integrators, one-case-one-discussion conferences, department tasks, the
// escalation ladder's history, per-user read marks of in-app notifications, and the deadline counts supervisors see.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Machine clients (对接系统). The API key is stored as its SHA-256 only: keys are 32 random bytes, so a plain hash
  // is as good as a slow one and lets the key itself be the lookup.
  await knex.schema.createTable('integrators', (t) => {
    t.string('id').primary();
    t.string('name').notNullable();
    t.string('region_code', 12).notNullable();
    t.string('api_key_hash', 64).notNullable().unique();
    t.text('webhook_url');
    // HMAC key of the webhooks (docs/webhooks.md); shared with the integrator, so not hashable
    t.text('webhook_secret');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['webhook_url']);
  });

  // A conference is also a case (process caseConference, same id) so its tasks, deadlines and audit trail use the
  // machinery every case uses; this row holds what is particular to it.
  await knex.schema.createTable('conferences', (t) => {
    t.uuid('id').primary().references('cases.id');
    t.uuid('case_id').notNullable().references('cases.id'); // the case that triggered it
    t.string('region_code', 12).notNullable();
    t.enu('status', ['CONVENED', 'DECIDED']).notNullable();
    t.text('reason').notNullable();
    t.text('proposal');
    t.jsonb('departments').notNullable();
    t.string('requested_by').notNullable();
    t.string('requested_by_role').notNullable();
    t.string('requester_ref'); // the integrator's own reference for who asked
    t.string('integrator_id').references('integrators.id');
    t.string('origin_workflow_id');
    t.date('opinion_due_on');
    t.jsonb('decision');
    t.jsonb('missing_opinions');
    t.date('decided_on');
    t.string('decided_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['case_id']);
    t.index(['region_code', 'status', 'created_at']);
  });

  // Opinion tasks are for one department each; a `department` user sees and completes only its own.
  await knex.schema.alterTable('tasks', (t) => {
    t.string('department');
    t.index(['department', 'status'], 'tasks_department_idx');
  });

  await knex.schema.createTable('deadline_escalations', (t) => {
    t.string('id').primary(); // <deadlineId>:<level>
    t.string('deadline_id').notNullable().references('deadlines.id');
    t.uuid('case_id').notNullable();
    t.integer('level').notNullable(); // 1: assignee + township supervisors, 2: county supervisors
    t.string('region_code', 12).notNullable(); // the level of government told
    t.jsonb('notified').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['deadline_id']);
  });

  await knex.schema.createTable('notification_reads', (t) => {
    t.string('notification_id').notNullable().references('notifications.id');
    t.string('user_sub').notNullable();
    t.timestamp('read_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['notification_id', 'user_sub']);
  });
  await knex.schema.alterTable('notifications', (t) => {
    t.index(['channel', 'recipient', 'created_at'], 'notifications_inbox_idx');
    t.index(['region_code', 'status'], 'notifications_region_status_idx');
  });

  // GET /deadlines/summary over a million rows: counts per township, kind and status kept by statement-level triggers
  // (transition tables, so a bulk insert costs one aggregate, not one update per row). Every writer — activities,
  // migrations, a hand-fixed row — keeps them right. bench/deadlines-summary.ts measures it.
  await knex.schema.createTable('deadline_counts', (t) => {
    t.string('township', 12).notNullable();
    t.string('kind').notNullable();
    t.string('status').notNullable();
    t.bigInteger('n').notNullable();
    t.primary(['township', 'kind', 'status']);
  });
  await knex.raw(`
    create function deadline_counts_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into deadline_counts (township, kind, status, n)
          select left(region_code, 9), kind, status, count(*) from new_rows group by 1, 2, 3 order by 1, 2, 3
          on conflict (township, kind, status) do update set n = deadline_counts.n + excluded.n;
      elsif tg_op = 'DELETE' then
        update deadline_counts c set n = c.n - d.n
          from (select left(region_code, 9) township, kind, status, count(*) n from old_rows group by 1, 2, 3) d
          where (c.township, c.kind, c.status) = (d.township, d.kind, d.status);
      else
        -- Locks are taken in key order, so two concurrent status changes cannot deadlock on the counters.
        insert into deadline_counts (township, kind, status, n)
          select township, kind, status, sum(delta) from (
            select left(region_code, 9) township, kind, status, 1 delta from new_rows
            union all
            select left(region_code, 9), kind, status, -1 from old_rows
          ) x group by 1, 2, 3 having sum(delta) <> 0 order by 1, 2, 3
          on conflict (township, kind, status) do update set n = deadline_counts.n + excluded.n;
      end if;
      return null;
    end $$;
  `);
  await knex.raw(
    `create trigger deadline_counts_ins after insert on deadlines referencing new table as new_rows for each ` +
      `statement execute function deadline_counts_apply()`,
  );
  await knex.raw(
    `create trigger deadline_counts_upd after update on deadlines referencing old table as old_rows new table ` +
      `as new_rows for each statement execute function deadline_counts_apply()`,
  );
  await knex.raw(
    `create trigger deadline_counts_del after delete on deadlines referencing old table as old_rows for each ` +
      `statement execute function deadline_counts_apply()`,
  );
  await knex.raw(
    `insert into deadline_counts (township, kind, status, n) select left(region_code, 9), kind, status, ` +
      `count(*) from deadlines group by 1, 2, 3`,
  );

  // Near-due and lateness lists: pending deadlines by due time within a region.
  await knex.schema.alterTable('deadlines', (t) => {
    t.index(['region_code', 'status', 'due_at'], 'deadlines_region_status_due_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deadlines', (t) => {
    t.dropIndex([], 'deadlines_region_status_due_idx');
  });
  for (const trig of ['deadline_counts_ins', 'deadline_counts_upd', 'deadline_counts_del'])
    await knex.raw(`drop trigger if exists ${trig} on deadlines`);
  await knex.raw('drop function if exists deadline_counts_apply()');
  await knex.schema.alterTable('notifications', (t) => {
    t.dropIndex([], 'notifications_inbox_idx');
    t.dropIndex([], 'notifications_region_status_idx');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex([], 'tasks_department_idx');
    t.dropColumn('department');
  });
  for (const table of ['deadline_counts', 'notification_reads', 'deadline_escalations', 'conferences', 'integrators'])
    await knex.schema.dropTableIfExists(table);
}
