// The comparison (数据比对, docs/monitoring.md): set-based SQL gathers, for every person in the latest snapshot of any
// dataset, what the rules read — the person's rows, the categories covering them, their household, the medical
// subsidies in their chain — and streams it out with COPY; the pure, versioned rules of domain/monitoring-rules.ts
// decide; what fired streams back in with COPY and becomes warnings in one statement, one open warning per person and
// rule (the partial unique index of migrations/013_monitoring.ts: a rerun raises nothing new), and a warning closed on
// the very same facts (same rule version, same figures) is not raised again: nothing changed since it was handled.
import type { Knex } from 'knex';
import { COUNTY_REGION, type AssistanceCategory } from '../domain/glossary';
import { DATASETS, type Dataset, type WarningClass } from '../domain/monitoring';
import { evaluate, type RuleParameters, type Subject } from '../domain/monitoring-rules';
import { copyInto, copyLine, copyOut } from './import/copy';
import { randomUUID } from 'node:crypto';

export interface ComparisonResult {
  snapshots: Partial<Record<Dataset, string>>;
  rowsCompared: number;
  subjects: number;
  /** Warnings raised by this run (new ones). */
  raised: number;
  /** Findings not raised again: their warning is still open, or was closed on the very same facts. */
  notRaisedAgain: number;
  byClass: Partial<Record<WarningClass, number>>;
  compareMs: number;
}

// One line per person of the latest snapshots (`snap`: the VALUES list of SNAPSHOTS_SQL's answer, so the rows are
// read once). Aggregates filtered by dataset pivot the person's rows into columns; the other facts are joined as
// pre-aggregated sets, so the plan is hash joins over each table once. The last column counts the person's rows.
const subjectsSql = (snap: string) => `
  with snap(dataset, as_of) as (values ${snap}),
  r as (select m.* from monitoring_rows m join snap s on s.dataset = m.dataset and s.as_of = m.as_of),
  subj as (
    select person_id,
      string_agg(dataset, ',') as datasets,
      min(grade) filter (where dataset = 'SEVERE_DISABILITY') as disability_grade,
      max(amount) filter (where dataset = 'MEDICAL_EXPENSES') as medical_paid,
      max(income) filter (where dataset = 'MEDICAL_EXPENSES') as medical_income,
      max(as_of) filter (where dataset = 'MEDICAL_EXPENSES') as medical_as_of,
      max(amount) filter (where dataset = 'RETURN_MONITORING') as return_income,
      max(label) filter (where dataset = 'RETURN_MONITORING') as return_risk,
      max(amount) filter (where dataset = 'EMPLOYMENT_WAGE') as wage,
      max(region_code) as row_region,
      count(*) as row_count
    from r group by person_id),
  cov as (
    select cp.person_id, string_agg(distinct rc.category, ',') as categories
      from recipients rc join case_people cp on cp.case_id = rc.case_id
     where rc.status = 'ACTIVE' group by cp.person_id),
  size as (select household_id, count(*) as n from members where left_on is null group by household_id),
  sub as (
    select person_id, string_agg(distinct left(period, 4), ',') as years
      from assistance_records where kind = 'MEDICAL_SUBSIDY' group by person_id)
  select s.person_id, s.datasets, s.disability_grade, s.medical_paid, s.medical_income, s.medical_as_of,
         s.return_income, s.return_risk, s.wage, s.row_region,
         m.household_id, h.region_code, h.residence, size.n, cov.categories, sub.years, s.row_count
    from subj s
    left join members m on m.person_id = s.person_id and m.left_on is null
    left join households h on h.id = m.household_id
    left join size on size.household_id = m.household_id
    left join cov on cov.person_id = s.person_id
    left join sub on sub.person_id = s.person_id`;

// Each dataset's latest snapshot, one index lookup each (monitoring_rows_snapshot_idx), not a scan of the rows.
const SNAPSHOTS_SQL = (datasets: readonly string[]) => `
  select d.dataset, (select max(m.as_of) from monitoring_rows m where m.dataset = d.dataset)::text as as_of
    from unnest(array[${datasets.map(() => '?').join(', ')}]::text[]) as d(dataset)`;

/** subjectsSql's last column: how many of the person's rows the line stands for. */
const ROW_COUNT = 16;

const num = (v: string | null) => (v === null ? null : Number(v));
const list = (v: string | null) => (v ? v.split(',') : []);
const facts = (
  amount: number | null,
  income: number | null,
  grade: number | null,
  label: string | null,
  asOf: string,
) => ({
  amount,
  income,
  grade,
  label,
  asOf,
});

/** One line of subjectsSql as the rules' subject (domain/monitoring-rules.ts). */
export function subjectOf(f: (string | null)[], snapshots: Partial<Record<Dataset, string>>): Subject {
  const [, datasets, grade, paid, income, , retIncome, retRisk, wage, , householdId, , residence, size, cats, years] =
    f;
  const rows: Subject['rows'] = {};
  for (const d of new Set(list(datasets)) as Set<Dataset>) {
    const asOf = snapshots[d]!;
    if (d === 'SEVERE_DISABILITY') rows[d] = facts(null, null, num(grade), null, asOf);
    else if (d === 'MEDICAL_EXPENSES') rows[d] = facts(num(paid), num(income), null, null, asOf);
    else if (d === 'RETURN_MONITORING') rows[d] = facts(num(retIncome), null, null, retRisk, asOf);
    else if (d === 'EMPLOYMENT_WAGE') rows[d] = facts(num(wage), null, null, null, asOf);
    else rows[d] = facts(null, null, null, null, asOf);
  }
  return {
    coveredBy: list(cats) as AssistanceCategory[],
    // Choice (docs/monitoring.md): a person the database knows no household of is compared at the rural standard.
    residence: residence === 'URBAN' ? 'URBAN' : 'RURAL',
    householdSize: householdId ? Number(size ?? 1) : 1,
    medicalSubsidyYears: list(years),
    rows,
  };
}

export interface ComparisonSpec {
  runId: string;
  today: string;
  parameters: RuleParameters;
  reportedBy: string;
}

const WARNING_COLUMNS = [
  'id',
  'person_id',
  'household_id',
  'region_code',
  'warning_class',
  'rule_id',
  'rule_version',
  'facts',
];

async function* fromArray(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

export async function compareDatasets(db: Knex, spec: ComparisonSpec): Promise<ComparisonResult> {
  const started = Date.now();
  return db.transaction(async (trx) => {
    // Two runs at once would each see the other's findings as new until commit; one waits for the other instead.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['monitoring-comparison']);
    const snap = await trx.raw(SNAPSHOTS_SQL(DATASETS), [...DATASETS]);
    const snapshots: Partial<Record<Dataset, string>> = {};
    for (const r of snap.rows as { dataset: Dataset; as_of: string | null }[])
      if (r.as_of !== null) snapshots[r.dataset] = r.as_of;
    const taken = Object.entries(snapshots);
    // COPY takes no bindings: the values are bound by knex, and are dataset codes and dates besides.
    const snapValues = taken.length
      ? trx.raw(taken.map(() => '(?::text, ?::date)').join(', '), taken.flat()).toQuery()
      : '(null::text, null::date)';
    const townships = new Set(
      (await trx('regions').where({ level: 'TOWNSHIP' }).select('code')).map((r: { code: string }) => r.code),
    );
    await trx.raw(`create temp table staging_warnings (
        id uuid not null, person_id uuid not null, household_id uuid, region_code text not null,
        warning_class text not null, rule_id text not null, rule_version int not null, facts jsonb not null
      ) on commit drop`);
    let subjects = 0;
    let rowsCompared = 0;
    // What fired is kept until the read is done: the transaction's one connection cannot copy out and in at once.
    // Findings are a small part of the subjects, and a line of text each.
    const fired: string[] = [];
    for await (const f of copyOut(trx, subjectsSql(snapValues))) {
      subjects++;
      rowsCompared += Number(f[ROW_COUNT]);
      const found = evaluate(subjectOf(f, snapshots), spec.parameters);
      if (!found.length) continue;
      const [personId, , , , , , , , , rowRegion, householdId, householdRegion] = f;
      // The township that handles it: the household's, else the one the department gave, else the county.
      const region = householdRegion ?? (rowRegion && townships.has(rowRegion) ? rowRegion : COUNTY_REGION);
      for (const { rule, finding } of found) {
        fired.push(
          copyLine([
            randomUUID(),
            personId,
            householdId,
            region,
            rule.warningClass,
            rule.id,
            rule.version,
            JSON.stringify(finding),
          ]),
        );
      }
    }
    const findings = fired.length;
    await copyInto(trx, 'staging_warnings', WARNING_COLUMNS, fromArray(fired));
    const raised = await trx.raw(
      `with ins as (
         insert into warnings (id, person_id, household_id, region_code, warning_class, rule_id, rule_version, facts,
                               source, run_id, status, raised_on, reported_by)
         select id, person_id, household_id, region_code, warning_class, rule_id, rule_version, facts,
                'COMPARISON', ?, 'RAISED', ?::date, ?
           from staging_warnings s
          where not exists (
            select 1 from warnings c
             where c.person_id = s.person_id and c.rule_id = s.rule_id and c.rule_version = s.rule_version
               and c.closed_at is not null and c.facts = s.facts)
         on conflict (person_id, rule_id) where closed_at is null do nothing
         returning id, household_id, region_code, warning_class),
       cases_in as (
         insert into cases (id, process, workflow_id, household_id, region_code, status, source, active_steps,
                            received_on, created_by)
         select id, 'warning', 'warning-' || id, household_id, region_code, 'RAISED', 'DATA_MATCH', '["verify"]',
                ?::date, ? from ins)
       select warning_class, count(*)::int as n from ins group by warning_class`,
      [spec.runId, spec.today, spec.reportedBy, spec.today, spec.reportedBy],
    );
    const byClass: Partial<Record<WarningClass, number>> = {};
    let total = 0;
    for (const r of raised.rows as { warning_class: WarningClass; n: number }[]) {
      byClass[r.warning_class] = r.n;
      total += r.n;
    }
    return {
      snapshots,
      rowsCompared,
      subjects,
      raised: total,
      notRaisedAgain: findings - total,
      byClass,
      compareMs: Date.now() - started,
    };
  });
}
