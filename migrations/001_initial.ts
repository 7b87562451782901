// The business records and read models. Temporal owns process state; these tables own what the API shows.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('regions', (t) => {
    t.string('code', 12).primary();
    t.string('name').notNullable();
    t.enu('level', ['COUNTY', 'TOWNSHIP', 'VILLAGE']).notNullable();
    t.string('parent_code', 12).references('regions.code');
  });

  await knex.schema.createTable('households', (t) => {
    t.uuid('id').primary();
    t.string('region_code', 12).notNullable().references('regions.code'); // township of hukou registration
    t.string('village_code', 12);
    t.enu('residence', ['URBAN', 'RURAL']).notNullable();
    t.text('address'); // personal data: never in logs, publicity or workflow inputs
    t.jsonb('economy'); // the household economic model (domain/household.ts) as last verified
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('members', (t) => {
    t.uuid('id').primary();
    t.uuid('household_id').notNullable().references('households.id');
    t.string('member_key').notNullable(); // the memberId used inside the household economic model
    t.string('name').notNullable();
    t.string('id_number', 18).notNullable();
    t.string('relation').notNullable();
    t.date('birth_date').notNullable();
    t.enu('sex', ['M', 'F']).notNullable();
    t.unique(['household_id', 'member_key']);
    t.index(['id_number']);
  });

  await knex.schema.createTable('cases', (t) => {
    t.uuid('id').primary();
    t.string('process').notNullable(); // application | recipient | emergency | caseConference
    t.string('workflow_id').notNullable().unique();
    t.uuid('household_id').references('households.id');
    t.string('region_code', 12).notNullable().references('regions.code');
    t.string('status').notNullable();
    t.string('source');
    t.jsonb('active_steps').notNullable().defaultTo('[]');
    t.date('received_on').notNullable();
    t.date('accepted_on');
    t.date('decided_on');
    t.jsonb('assessment');
    t.jsonb('returned_missing');
    t.string('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'status']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('actor').notNullable();
    t.string('key').notNullable();
    t.string('route').notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('status_code');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['actor', 'key']);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.string('id').primary(); // deterministic: <caseId>:<type>:<n>, so a retried activity finds its own row
    t.uuid('case_id').notNullable().references('cases.id');
    t.string('type').notNullable();
    t.string('region_code', 12).notNullable();
    t.string('candidate_role').notNullable();
    t.string('assignee');
    t.enu('status', ['OPEN', 'COMPLETED', 'CANCELLED']).notNullable();
    t.string('outcome');
    t.jsonb('data');
    t.text('comment');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.string('completed_by');
    // The inbox: open tasks of a region and role, soonest due first.
    t.index(['status', 'region_code', 'candidate_role', 'due_at'], 'tasks_inbox_idx');
    t.index(['case_id']);
  });

  await knex.schema.createTable('deadlines', (t) => {
    t.string('id').primary(); // deterministic: <caseId>:<kind>:<n>
    t.uuid('case_id').notNullable().references('cases.id');
    t.string('kind').notNullable();
    t.string('region_code', 12).notNullable();
    t.string('task_id');
    t.date('started_on').notNullable();
    t.integer('working_days');
    t.date('due_on').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.boolean('provisional').notNullable().defaultTo(false);
    t.enu('status', ['pending', 'met', 'overdue', 'cancelled']).notNullable();
    t.timestamp('met_at', { useTz: true });
    t.timestamp('overdue_at', { useTz: true });
    t.boolean('met_late').notNullable().defaultTo(false);
    t.integer('extension_days');
    t.text('extension_reason');
    t.integer('escalation_level').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'region_code', 'due_at'], 'deadlines_supervision_idx');
    t.index(['case_id']);
  });

  await knex.schema.createTable('decisions', (t) => {
    t.string('id').primary(); // <caseId>:decision:<n>
    t.uuid('case_id').notNullable().references('cases.id');
    t.enu('outcome', ['APPROVED', 'REFUSED']).notNullable();
    t.string('category');
    t.string('coverage');
    t.decimal('monthly_amount', 12, 2);
    t.string('start_month', 7);
    t.jsonb('reasons');
    t.date('decided_on').notNullable();
    t.string('decided_by').notNullable();
    t.jsonb('assessment');
    t.string('policy_version_id');
    t.boolean('deviation').notNullable().defaultTo(false);
    t.text('deviation_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['deviation']);
  });

  await knex.schema.createTable('notices', (t) => {
    t.string('id').primary(); // <caseId>:<kind>:<n>
    t.uuid('case_id').notNullable().references('cases.id');
    t.string('kind').notNullable(); // REFUSAL | TERMINATION
    t.string('notice_no').notNullable().unique();
    t.string('region_code', 12).notNullable();
    t.enu('status', ['DRAFT', 'ISSUED']).notNullable();
    t.jsonb('content').notNullable(); // what the PDF says, for audit and re-rendering
    t.binary('pdf').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('issued_at', { useTz: true });
    t.string('issued_by');
  });

  await knex.schema.createTable('notifications', (t) => {
    t.string('id').primary(); // deterministic per business event, so a retried enqueue is a no-op
    t.string('channel').notNullable();
    t.string('recipient').notNullable();
    t.string('subject').notNullable();
    t.text('body').notNullable();
    t.jsonb('payload');
    t.string('notice_id');
    t.uuid('case_id');
    t.string('region_code', 12);
    t.enu('status', ['PENDING', 'SENT', 'FAILED', 'DEAD']).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['status', 'next_attempt_at']);
  });

  await knex.schema.createTable('region_contacts', (t) => {
    t.increments('id');
    t.string('region_code', 12).notNullable().references('regions.code');
    t.string('role').notNullable();
    t.string('channel').notNullable();
    t.string('address').notNullable();
    t.unique(['region_code', 'role', 'channel', 'address']);
  });

  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary();
    t.timestamp('loaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('loaded_by').notNullable();
  });
  await knex.schema.createTable('calendar_days', (t) => {
    t.date('day').primary();
    t.integer('year').notNullable().references('calendar_years.year').onDelete('CASCADE');
    t.enu('kind', ['HOLIDAY', 'MAKEUP_WORKDAY']).notNullable();
  });

  await knex.schema.createTable('policy_versions', (t) => {
    t.string('id').primary();
    t.string('region_code', 12).notNullable();
    t.date('effective_from').notNullable();
    t.jsonb('parameters').notNullable();
    t.boolean('sample').notNullable().defaultTo(false);
    t.string('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['region_code', 'effective_from']);
  });

  // Seam for the recipient lifecycle: enrolment writes one row per approved case.
  await knex.schema.createTable('recipients', (t) => {
    t.uuid('id').primary();
    t.uuid('case_id').notNullable().unique().references('cases.id');
    t.uuid('household_id').references('households.id');
    t.string('region_code', 12).notNullable();
    t.string('category').notNullable();
    t.string('coverage');
    t.decimal('monthly_amount', 12, 2).notNullable();
    t.string('start_month', 7).notNullable();
    t.date('determined_on').notNullable();
    t.enu('status', ['ACTIVE', 'TERMINATED']).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('actor').notNullable();
    t.string('role').notNullable();
    t.string('action').notNullable();
    t.uuid('case_id');
    t.string('entity');
    t.string('entity_id');
    t.jsonb('before');
    t.jsonb('after');
    t.text('reason');
    t.index(['case_id']);
    t.index(['actor', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log',
    'recipients',
    'policy_versions',
    'calendar_days',
    'calendar_years',
    'region_contacts',
    'notifications',
    'notices',
    'decisions',
    'deadlines',
    'tasks',
    'idempotency_keys',
    'cases',
    'members',
    'households',
    'regions',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
