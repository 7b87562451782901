// Recipients over years: the amount in force each month, the history of checks, and when payments stop.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('recipients', (t) => {
    t.string('household_type'); // STABLE | UNSTABLE: the periodic check frequency
    t.string('stop_month', 7); // first month not paid after a termination; null while active
    t.date('terminated_on');
    t.string('next_check_type'); // the workflow's next scheduled check, for GET /recipients
    t.date('next_check_on');
    t.index(['region_code', 'status']);
  });

  // Amount history: the roster takes, for a month, the row with the latest from_month not after it. A decision made in
  // month M writes from_month M+1, so a change never reaches back into a month already paid.
  await knex.schema.createTable('recipient_amounts', (t) => {
    t.uuid('recipient_id').notNullable().references('recipients.id');
    t.string('from_month', 7).notNullable();
    t.string('category').notNullable();
    t.decimal('amount', 12, 2).notNullable();
    t.string('source').notNullable(); // decision id or check id that set it
    t.integer('source_seq').notNullable().defaultTo(0); // later checks win over earlier ones within the same month
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['recipient_id', 'from_month']);
  });

  await knex.schema.createTable('recipient_checks', (t) => {
    t.string('id').primary(); // <caseId>:check:<n>
    t.uuid('recipient_id').notNullable().references('recipients.id');
    t.uuid('case_id').notNullable().references('cases.id');
    t.string('type').notNullable(); // annualRecheck | periodicCheck | changeReport
    t.string('trigger').notNullable(); // ANNIVERSARY | PERIODIC | CHANGE_REPORT | MINOR_TURNS_18 | OBJECTION
    t.string('task_id').notNullable();
    t.date('opened_on').notNullable();
    t.date('due_on').notNullable();
    t.jsonb('report'); // the reported change, as sent
    t.string('reported_by');
    t.string('outcome'); // KEEP | ADJUST | CHANGE_CATEGORY | TERMINATE | CANCELLED
    t.jsonb('data');
    t.date('decided_on');
    t.string('decided_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['recipient_id', 'opened_on']);
  });

  // The roster is read by month in payment-id pages (api/roster-export.ts): an index range scan per page.
  await knex.schema.alterTable('payments', (t) => {
    t.index(['month', 'id'], 'payments_month_id_idx');
  });

  // Recipients enrolled before this migration keep their enrolment amount as the first history row.
  await knex.raw(`insert into recipient_amounts (recipient_id, from_month, category, amount, source)
    select id, start_month, category, monthly_amount, 'enrolment' from recipients on conflict do nothing`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropIndex(['month', 'id'], 'payments_month_id_idx');
  });
  await knex.schema.dropTableIfExists('recipient_checks');
  await knex.schema.dropTableIfExists('recipient_amounts');
  await knex.schema.alterTable('recipients', (t) => {
    t.dropIndex(['region_code', 'status']);
    t.dropColumns('household_type', 'stop_month', 'terminated_on', 'next_check_type', 'next_check_on');
  });
}
