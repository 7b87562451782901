// Payment records: every yuan paid on any path (monthly roster, emergency advance, assistance stage, conference raise)
// lands here, so totals per household and per month are right, and the assistance chain reads from one place.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    // deterministic per business event, e.g. monthly:<recipientId>:<YYYY-MM>, so reruns add nothing
    t.string('id').primary();
    t.enu('kind', ['MONTHLY', 'EMERGENCY_ADVANCE', 'STAGE', 'CONFERENCE_RAISE', 'TEMPORARY']).notNullable();
    t.uuid('household_id').references('households.id');
    t.uuid('recipient_id').references('recipients.id');
    t.uuid('case_id').references('cases.id');
    t.string('region_code', 12).notNullable();
    t.string('month', 7).notNullable(); // YYYY-MM the payment belongs to
    t.string('category');
    t.decimal('amount', 12, 2).notNullable();
    t.jsonb('details'); // e.g. proration, stage number, roster run
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['month', 'region_code']);
    t.index(['household_id', 'month']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payments');
}
