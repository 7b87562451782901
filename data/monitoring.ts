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

/** Each dataset's bit in a subject's `datasets` mask (subjectsSql): its place in DATASETS. */
const DATASET_BIT = Object.fromEntries(DATASETS.map((d, i) => [d, 1 << i])) as Record<Dataset, number>;

// One line per person of the latest snapshots: each snapshot's rows found by its index range
// (monitoring_rows_snapshot_idx, the ranges or-ed into one bitmap), pivoted per person into columns by aggregates
// filtered by dataset, with an integer mask of the datasets that hold a row of theirs (no string_agg per person). The
// other facts are joined as pre-aggregated sets, so the plan is hash joins over each table once. `snapshots` is a
// bound, knex-quoted list of (dataset, as_of) pairs: COPY takes no bindings.
const subjectsSql = (snapshots: string) => `
  with subj as (
    select person_id,
      bit_or(case dataset ${DATASETS.map((d) => `when '${d}' then ${DATASET_BIT[d]}`).join(' ')} end) as datasets,
      min(grade) filter (where dataset = 'SEVERE_DISABILITY') as disability_grade,
      max(amount) filter (where dataset = 'MEDICAL_EXPENSES') as medical_paid,
      max(income) filter (where dataset = 'MEDICAL_EXPENSES') as medical_income,
      max(amount) filter (where dataset = 'RETURN_MONITORING') as return_income,
      max(label) filter (where dataset = 'RETURN_MONITORING') as return_risk,
      max(amount) filter (where dataset = 'EMPLOYMENT_WAGE') as wage,
      max(region_code) as row_region,
      count(*) as row_count
    from monitoring_rows where (dataset, as_of) in (${snapshots})
    group by person_id),
  cov as (
    select cp.person_id, string_agg(distinct rc.category, ',') as categories
      from recipients rc join case_people cp on cp.case_id = rc.case_id
     where rc.status = 'ACTIVE' group by cp.person_id),
  size as (select household_id, count(*) as n from members where left_on is null group by household_id),
  sub as (
    select person_id, string_agg(distinct left(period, 4), ',') as years
      from assistance_records where kind = 'MEDICAL_SUBSIDY' group by person_id)
  select s.person_id, s.datasets, s.disability_grade, s.medical_paid, s.medical_income,
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

/** subjectsSql's columns, by place. */
const COL = {
  personId: 0,
  datasets: 1,
  disabilityGrade: 2,
  medicalPaid: 3,
  medicalIncome: 4,
  returnIncome: 5,
  returnRisk: 6,
  wage: 7,
  rowRegion: 8,
  householdId: 9,
  householdRegion: 10,
  residence: 11,
  householdSize: 12,
  categories: 13,
  subsidyYears: 14,
  /** How many of the person's rows the line stands for. */
  rowCount: 15,
} as const;

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
  const mask = Number(f[COL.datasets]);
  const rows: Subject['rows'] = {};
  for (const d of DATASETS) {
    if (!(mask & DATASET_BIT[d])) continue;
    const asOf = snapshots[d]!;
    if (d === 'SEVERE_DISABILITY') rows[d] = facts(null, null, num(f[COL.disabilityGrade]), null, asOf);
    else if (d === 'MEDICAL_EXPENSES')
      rows[d] = facts(num(f[COL.medicalPaid]), num(f[COL.medicalIncome]), null, null, asOf);
    else if (d === 'RETURN_MONITORING') rows[d] = facts(num(f[COL.returnIncome]), null, null, f[COL.returnRisk], asOf);
    else if (d === 'EMPLOYMENT_WAGE') rows[d] = facts(num(f[COL.wage]), null, null, null, asOf);
    else rows[d] = facts(null, null, null, null, asOf);
  }
  const householdId = f[COL.householdId];
  return {
    coveredBy: list(f[COL.categories]) as AssistanceCategory[],
    // Choice (docs/monitoring.md): a person the database knows no household of is compared at the rural standard.
    residence: f[COL.residence] === 'URBAN' ? 'URBAN' : 'RURAL',
    householdSize: householdId ? Number(f[COL.householdSize] ?? 1) : 1,
    medicalSubsidyYears: list(f[COL.subsidyYears]),
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
    const taken = Object.entries(snapshots);
    // COPY takes no bindings: knex binds the pairs into the text (dataset codes and dates besides).
    const pairs = taken.length
      ? trx.raw(taken.map(() => '(?::text, ?::date)').join(', '), taken.flat()).toQuery()
      : '(null::text, null::date)';
    for await (const lines of copyOut(trx, subjectsSql(pairs))) {
      for (const f of lines) {
        subjects++;
        rowsCompared += Number(f[COL.rowCount]);
        const found = evaluate(subjectOf(f, snapshots), spec.parameters);
        if (!found.length) continue;
        const personId = f[COL.personId];
        const householdId = f[COL.householdId];
        const rowRegion = f[COL.rowRegion];
        // The township that handles it: the household's, else the one the department gave, else the county.
        const region = f[COL.householdRegion] ?? (rowRegion && townships.has(rowRegion) ? rowRegion : COUNTY_REGION);
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
    }
    const findings = fired.length;
    await copyInto(trx, 'staging_warnings', WARNING_COLUMNS, fromArray(fired));
    // A temporary table has no statistics until analysed: the planner would guess its size.
    await trx.raw('analyze staging_warnings');
    // A finding closed before on the same facts (a dismissed false alarm) is not raised again. A statement of its own:
    // inside the insert below, the check scanned the very table being filled, once per finding (quadratic; 0.54 s of
    // raising 9,938 warnings), wherever the planner took warnings for empty (migrations/015_closed_warnings_index.ts).
    await trx.raw(
      `delete from staging_warnings s using warnings c
        where c.person_id = s.person_id and c.rule_id = s.rule_id and c.rule_version = s.rule_version
          and c.closed_at is not null and c.facts = s.facts`,
    );
    const raised = await trx.raw(
      `with ins as (
         insert into warnings (id, person_id, household_id, region_code, warning_class, rule_id, rule_version, facts,
                               source, run_id, status, raised_on, reported_by)
         select id, person_id, household_id, region_code, warning_class, rule_id, rule_version, facts,
                'COMPARISON', ?, 'RAISED', ?::date, ?
           from staging_warnings
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
