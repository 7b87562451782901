// Emergency assistance (docs/policy.md §5): the emergency record beside its case, evidence files, staged-assistance
// plans,
// calendar-day deadlines, and the justification limit as a policy parameter in versions stored before it existed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('emergencies', (t) => {
    t.uuid('case_id').primary().references('cases.id');
    // The person is stored as a one-member household (members holds name and ID number), so the assistance chain and a
    // later regular application hang off the same household.
    t.uuid('household_id').notNullable().references('households.id');
    t.uuid('member_id').notNullable().references('members.id'); // the person in need
    t.string('region_code', 12).notNullable().references('regions.code'); // township where the emergency happened
    t.enu('residence', ['URBAN', 'RURAL']).notNullable(); // decides the cap
    t.string('hardship').notNullable();
    t.text('description').notNullable();
    t.decimal('requested_amount', 12, 2).notNullable();
    t.decimal('cap', 12, 2).notNullable();
    t.string('policy_version_id').notNullable();
    t.string('advance_payment_id');
    t.date('paid_on');
    t.string('justification_outcome');
    t.text('justification_facts');
    t.date('justified_on');
    t.string('justified_by');
    t.uuid('follow_up_case_id'); // the regular application opened by a REGULAR_ASSISTANCE justification
    t.uuid('conference_id');
    t.jsonb('conference_decision');
    t.string('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'created_at']);
  });

  await knex.schema.createTable('emergency_attachments', (t) => {
    t.uuid('id').primary(); // derived from the case and the content hash, so a retried upload stores nothing twice
    t.uuid('case_id').notNullable().references('cases.id');
    t.string('file_name').notNullable();
    t.string('content_type').notNullable();
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable(); // evidence may carry personal data: never logged, never in workflow history
    t.string('task_id'); // the justification it was submitted with
    t.string('uploaded_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['case_id']);
  });

  await knex.schema.createTable('assistance_plans', (t) => {
    t.string('id').primary(); // <caseId>:plan:1
    t.uuid('case_id').notNullable().references('cases.id');
    t.uuid('household_id').references('households.id');
    t.string('region_code', 12).notNullable();
    t.jsonb('stages').notNullable(); // [{ stage, month, amount, status: PLANNED | PAID | CANCELLED }]
    t.enu('status', ['ACTIVE', 'STOPPED', 'COMPLETED']).notNullable();
    t.date('approved_on').notNullable();
    t.string('approved_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['household_id']);
  });

  await knex.schema.alterTable('deadlines', (t) => {
    t.integer('calendar_days'); // set instead of working_days for limits stated in days ("within 3 days")
  });

  await knex.raw(`update policy_versions set parameters = parameters || '{"justificationWorkingDays": 5}'::jsonb
    where parameters->'justificationWorkingDays' is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`update policy_versions set parameters = parameters - 'justificationWorkingDays'`);
  await knex.schema.alterTable('deadlines', (t) => {
    t.dropColumn('calendar_days');
  });
  for (const table of ['assistance_plans', 'emergency_attachments', 'emergencies'])
    await knex.schema.dropTableIfExists(table);
}
