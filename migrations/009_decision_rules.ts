// Issue 10, decisions a county can defend: who confirmed, numbered notices with the office's address and telephone,
// staff relatives registered (近亲属备案), deadline counts that tell met on time from met late.
import type { Knex } from 'knex';

/** The counts key of a deadline row: a met deadline is counted on time or late (docs/policy.md §1.5). */
const COUNT_STATUS = `case when status = 'met' and met_late then 'met_late' else status end`;

function countsFunction(statusExpr: string): string {
  return `
    create or replace function deadline_counts_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into deadline_counts (township, kind, status, n)
          select left(region_code, 9), kind, ${statusExpr}, count(*) from new_rows group by 1, 2, 3 order by 1, 2, 3
          on conflict (township, kind, status) do update set n = deadline_counts.n + excluded.n;
      elsif tg_op = 'DELETE' then
        update deadline_counts c set n = c.n - d.n
          from (select left(region_code, 9) township, kind, ${statusExpr} status, count(*) n from old_rows
                 group by 1, 2, 3) d
          where (c.township, c.kind, c.status) = (d.township, d.kind, d.status);
      else
        insert into deadline_counts (township, kind, status, n)
          select township, kind, status, sum(delta) from (
            select left(region_code, 9) township, kind, ${statusExpr} status, 1 delta from new_rows
            union all
            select left(region_code, 9), kind, ${statusExpr}, -1 from old_rows
          ) x group by 1, 2, 3 having sum(delta) <> 0 order by 1, 2, 3
          on conflict (township, kind, status) do update set n = deadline_counts.n + excluded.n;
      end if;
      return null;
    end $$;`;
}

async function recount(knex: Knex, statusExpr: string): Promise<void> {
  await knex.raw('delete from deadline_counts');
  await knex.raw(
    `insert into deadline_counts (township, kind, status, n) select left(region_code, 9), kind, ${statusExpr}, ` +
      `count(*) from deadlines group by 1, 2, 3`,
  );
}

export async function up(knex: Knex): Promise<void> {
  // The level that confirmed (policy parameter confirmingLevel), recorded with the decision.
  await knex.schema.alterTable('decisions', (t) => {
    t.string('confirming_level');
  });
  await knex.raw(`update policy_versions set parameters = parameters || '{"confirmingLevel": "TOWNSHIP"}'::jsonb
                   where not parameters \\? 'confirmingLevel'`);

  // The office that issues notices: its address and telephone are printed on every notice.
  await knex.schema.alterTable('regions', (t) => {
    t.text('office_name');
    t.text('office_address');
    t.string('office_telephone');
  });
  // Sequential document numbers per office and year (文号); a number is taken in the transaction that stores the
  // notice, so no retry takes a second one.
  await knex.schema.createTable('notice_numbers', (t) => {
    t.string('office_code', 12).notNullable();
    t.integer('year').notNullable();
    t.integer('last_no').notNullable();
    t.primary(['office_code', 'year']);
  });
  await knex.schema.alterTable('notices', (t) => {
    t.string('office_code', 12);
    t.date('issued_on');
  });

  // 近亲属备案 (docs/policy.md §2.5): one row per application whose applicant is a close relative of a caseworker or
  // village cadre. The staff member's name is personal data: it lives here and in the audit log only.
  await knex.schema.createTable('staff_relative_registrations', (t) => {
    t.uuid('case_id').primary().references('cases.id');
    t.string('region_code', 12).notNullable();
    t.string('staff_role').notNullable(); // CASEWORKER | VILLAGE_CADRE
    t.string('relation').notNullable();
    t.text('staff_name');
    t.string('registered_by').notNullable();
    t.timestamp('registered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code']);
  });

  // 一事一议: the feedback of a department that took a case over (docs/policy.md §6.4).
  await knex.schema.alterTable('conferences', (t) => {
    t.jsonb('takeover_feedback');
  });

  await knex.raw(countsFunction(COUNT_STATUS));
  await recount(knex, COUNT_STATUS);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(countsFunction('status'));
  await recount(knex, 'status');
  await knex.schema.alterTable('conferences', (t) => {
    t.dropColumn('takeover_feedback');
  });
  await knex.schema.dropTable('staff_relative_registrations');
  await knex.schema.alterTable('notices', (t) => {
    t.dropColumn('office_code');
    t.dropColumn('issued_on');
  });
  await knex.schema.dropTable('notice_numbers');
  await knex.schema.alterTable('regions', (t) => {
    t.dropColumn('office_name');
    t.dropColumn('office_address');
    t.dropColumn('office_telephone');
  });
  await knex.raw(`update policy_versions set parameters = parameters - 'confirmingLevel'`);
  await knex.schema.alterTable('decisions', (t) => {
    t.dropColumn('confirming_level');
  });
}
