// A case row commits before its workflow starts (engine/open-case.ts): when Temporal is down, or the API dies between
// the two, the row has no workflow. The row now keeps its workflow's input (ids and dates only, as the input itself)
// and when the start was confirmed, so the reconciliation job (scripts/lib/reconcile.ts) can find and start what never
// started. Rows from before are taken as started.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.jsonb('workflow_input');
    t.timestamp('workflow_started_at', { useTz: true });
  });
  await knex('cases').update({ workflow_started_at: knex.ref('created_at') });
  await knex.raw('create index cases_workflow_unconfirmed on cases (created_at) where workflow_started_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index cases_workflow_unconfirmed');
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('workflow_input');
    t.dropColumn('workflow_started_at');
  });
}
