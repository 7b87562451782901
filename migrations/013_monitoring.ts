// Dynamic monitoring (docs/policy.md §7.2, §7.3): the department datasets (batches and their rows, each tied to a
// person by the same keyed hash of the ID number as `people.id_hash`), the warnings the comparison raises — one open
// warning per person and rule at a time — and the departments' feedback on the warnings pushed to them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('monitoring_batches', (t) => {
    t.string('id').primary(); // <dataset>:<batchId>
    t.string('dataset').notNullable();
    t.string('department').notNullable();
    t.string('batch_id').notNullable();
    t.date('as_of').notNullable(); // the date the department's snapshot describes
    t.string('source').notNullable(); // API | FILE | CLI
    t.string('file_name');
    t.integer('accepted').notNullable();
    t.integer('rejected').notNullable();
    t.jsonb('rejections').notNullable(); // [{ line, reasons }] — no ID numbers
    t.string('reported_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dataset', 'as_of']);
  });
  await knex.schema.createTable('monitoring_rows', (t) => {
    t.bigIncrements('id');
    t.string('batch_key').notNullable().references('monitoring_batches.id');
    t.string('dataset').notNullable();
    t.date('as_of').notNullable();
    // Resolved at import (a row names a person by ID number; one the database does not know yet enters it with a
    // name, as in the assistance import): the comparison then joins on ids only.
    t.uuid('person_id').notNullable();
    t.string('region_code', 12); // the department's township of the person, when it knows one
    t.integer('line').notNullable();
    t.decimal('amount', 14, 2); // wage, out-of-pocket expenses, per-capita income (domain/monitoring.ts storedFacts)
    t.decimal('income', 14, 2);
    t.smallint('grade');
    t.string('label');
  });
  // The comparison reads each dataset's latest snapshot. No foreign key on person_id: a million-row load would pay a
  // lookup per row for a link the import has just established itself.
  await knex.raw('create index monitoring_rows_snapshot_idx on monitoring_rows (dataset, as_of)');

  await knex.schema.createTable('warnings', (t) => {
    t.uuid('id').primary(); // = the warning's case id (cases.process 'warning')
    t.uuid('person_id').notNullable().references('people.id');
    t.uuid('household_id').references('households.id');
    t.string('region_code', 12).notNullable(); // the township handling it
    t.string('village_code', 12); // the village a village assistant reported from
    t.string('warning_class').notNullable();
    t.string('rule_id').notNullable();
    t.integer('rule_version').notNullable();
    t.jsonb('facts').notNullable(); // the figures the rule compared (no names, no ID numbers)
    t.string('source').notNullable(); // COMPARISON | VISIT
    t.string('run_id'); // the comparison run that raised it
    t.timestamp('workflow_started_at', { useTz: true }); // its warning workflow was started
    t.string('status').notNullable(); // RAISED | HANDLING | CLOSED | DISMISSED
    t.date('raised_on').notNullable();
    t.timestamp('raised_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('reported_by').notNullable();
    t.string('handling'); // the verification's outcome (domain/monitoring.ts HANDLINGS)
    t.timestamp('handled_at', { useTz: true });
    t.string('handled_by');
    t.jsonb('handling_data');
    t.string('outcome');
    t.text('outcome_reason');
    t.timestamp('closed_at', { useTz: true });
    t.uuid('application_case_id');
    t.uuid('conference_id');
    t.string('recipient_id');
    t.index(['region_code', 'status', 'warning_class']);
    t.index(['run_id', 'id']);
    t.index(['person_id']);
  });
  // One open warning per person and rule: a rerun raises nothing new (ON CONFLICT … DO NOTHING).
  await knex.raw(
    'create unique index warnings_open_person_rule_uq on warnings (person_id, rule_id) where closed_at is null',
  );

  await knex.schema.createTable('comparison_runs', (t) => {
    t.string('id').primary(); // the workflow's run key: scheduled runs by date, on-demand runs by request
    t.string('requested_by').notNullable();
    t.date('run_on').notNullable();
    t.string('status').notNullable(); // RUNNING | DONE
    t.jsonb('snapshots'); // { dataset: asOf } compared
    t.integer('rows_compared');
    t.integer('subjects');
    t.integer('raised');
    t.integer('not_raised_again');
    t.integer('workflows_started');
    t.integer('compare_ms');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });

  await knex.schema.createTable('warning_feedback', (t) => {
    t.string('id').primary(); // <warningId>:<department>
    t.uuid('warning_id').notNullable().references('warnings.id');
    t.uuid('person_id').notNullable().references('people.id');
    t.uuid('household_id').references('households.id');
    t.string('department').notNullable();
    t.string('task_id').notNullable();
    t.string('outcome').notNullable(); // ASSISTED | NOT_APPLICABLE
    t.text('feedback').notNullable();
    t.string('assistance_kind');
    t.decimal('amount', 12, 2);
    t.date('reported_on').notNullable();
    t.string('reported_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['person_id']);
    t.index(['household_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['warning_feedback', 'comparison_runs', 'warnings', 'monitoring_rows', 'monitoring_batches'])
    await knex.schema.dropTableIfExists(table);
}
