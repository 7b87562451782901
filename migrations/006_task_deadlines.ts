// A task's due time has one source, its deadline (data/deadlines.ts moves the tasks a deadline times). Existing rows
// are linked: a deadline that names its task, and the investigation and review tasks timed by the first-review
// opinion deadline and the confirmation deadline of their case.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.string('deadline_id');
    t.index(['deadline_id']);
  });
  await knex.raw(`update tasks t set deadline_id = d.id, due_at = d.due_at
                    from deadlines d where d.task_id = t.id`);
  await knex.raw(`update tasks t set deadline_id = d.id, due_at = d.due_at
                    from deadlines d
                   where t.deadline_id is null and d.case_id = t.case_id
                     and ((t.type in ('homeVisit', 'economicCheck', 'firstReview') and d.kind = 'firstReviewOpinion')
                       or (t.type = 'confirm' and d.kind = 'confirmation'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('deadline_id');
  });
}
