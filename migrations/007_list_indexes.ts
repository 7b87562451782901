// Indexes for the two busiest lists, matching their filters and their order (bench/lists.ts has the plans and timings):
//   GET /tasks      where status = ? and region_code like '<region>%' order by due_at asc nulls last, created_at, id
//   GET /deadlines  where status = ? and region_code like '<region>%' order by due_at asc, id asc
// Two shapes per list, and the planner takes the one the region's share of rows calls for:
// - (status, region_code text_pattern_ops, …): the region prefix as an index range. text_pattern_ops because under a
//   non-C collation (en_US.UTF-8, the usual server default) a plain btree cannot serve LIKE 'prefix%' at all; the
//   earlier indexes on region_code therefore helped only with status, and only where the database collation is C.
// - (status, due_at, …): rows already in the list's order, read until the page is full — the plan for the county and
//   for a township that holds much of the county, where a region range would first collect and sort every match.
import type { Knex } from 'knex';

const INDEXES = [
  ['tasks_status_region_due_idx', 'tasks (status, region_code text_pattern_ops, due_at, created_at, id)'],
  ['tasks_status_due_idx', 'tasks (status, due_at, created_at, id)'],
  ['deadlines_status_region_due_idx', 'deadlines (status, region_code text_pattern_ops, due_at, id)'],
  ['deadlines_status_due_idx', 'deadlines (status, due_at, id)'],
] as const;

export async function up(knex: Knex): Promise<void> {
  for (const [name, on] of INDEXES) await knex.raw(`create index if not exists ${name} on ${on}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index if exists ${name}`);
}
