// The comparison raises a finding only if no closed warning of the same person, rule, version and facts exists
// (data/monitoring.ts compareDatasets: a dismissed false alarm is not raised again on the same data). That check had no
// index: the only one on (person_id, rule_id) is the partial unique index of the open warnings. So the planner chose
// between a hash anti join that reads every warning ever closed, on every run, and — when the table looked empty or
// the staged findings had no statistics — a nested loop that scans the warnings once per finding. The latter cost
// 0.54 of the 0.94 s that raising 9,938 warnings took (bench/monitoring.ts, README "Monitoring"). With this index each
// finding is one index probe among the closed warnings of its person.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index if not exists warnings_closed_person_rule_idx on warnings (person_id, rule_id, rule_version)
      where closed_at is not null`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists warnings_closed_person_rule_idx');
}
