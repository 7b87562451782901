// The comparison (数据比对, docs/monitoring.md): for every person in the latest snapshot of any dataset, what the rules
// read — the person's rows, the categories covering them, their household, the medical subsidies in their chain —
// streams out of PostgreSQL with COPY and is gathered per person (data/monitoring-subjects.ts); the pure, versioned
// rules of domain/monitoring-rules.ts decide; what fired streams back in with COPY and becomes warnings in one
// statement, one open warning per person and rule (the partial unique index of migrations/013_monitoring.ts: a rerun
// raises nothing new), and a warning closed on the very same facts (same rule version, same figures) is not raised
// again: nothing changed since it was handled.
import type { Knex } from 'knex';
import { COUNTY_REGION } from '../domain/glossary';
import { DATASETS, type Dataset, type WarningClass } from '../domain/monitoring';
import { evaluate, type RuleParameters } from '../domain/monitoring-rules';
import { copyInto, copyLine, copyOut, copyOutText } from './import/copy';
import { KNOWN_PEOPLE_SQL, ROWS_SQL, RowsPivot, KnownPeople, knownPeopleWalk, subjectOf } from './monitoring-subjects';
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

// Each dataset's latest snapshot, one index lookup each (monitoring_rows_snapshot_idx), not a scan of the rows.
const SNAPSHOTS_SQL = (datasets: readonly string[]) => `
  select d.dataset, (select max(m.as_of) from monitoring_rows m where m.dataset = d.dataset)::text as as_of
    from unnest(array[${datasets.map(() => '?').join(', ')}]::text[]) as d(dataset)`;

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

/** Lines to COPY in, a thousand at a time: a write per line took 0.1 s for 10,000 findings. */
async function* inPieces(lines: string[]): AsyncGenerator<string> {
  for (let i = 0; i < lines.length; i += 1_000) yield lines.slice(i, i + 1_000).join('');
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
    // What the database knows of its people first, sorted by person, then the rows, sorted the same way: each
    // person's rows are pivoted and judged as soon as the next person's begin (data/monitoring-subjects.ts).
    const knownPeople = new KnownPeople();
    for await (const lines of copyOut(trx, KNOWN_PEOPLE_SQL)) for (const f of lines) knownPeople.add(f);
    const walk = knownPeopleWalk(knownPeople.list);
    const pivot = new RowsPivot((p) => {
      subjects++;
      rowsCompared += p.rowCount;
      const known = walk.at(p.personId);
      const found = evaluate(subjectOf(p, snapshots, known), spec.parameters);
      if (!found.length) return;
      const household = known?.household;
      // The township that handles it: the household's, else the one the department gave, else the county.
      const region = household?.region ?? (p.rowRegion && townships.has(p.rowRegion) ? p.rowRegion : COUNTY_REGION);
      for (const { rule, finding } of found) {
        fired.push(
          copyLine([
            randomUUID(),
            p.personId,
            household?.householdId ?? null,
            region,
            rule.warningClass,
            rule.id,
            rule.version,
            JSON.stringify(finding),
          ]),
        );
      }
    });
    for await (const text of copyOutText(trx, ROWS_SQL(pairs))) pivot.add(text);
    pivot.end();
    const findings = fired.length;
    await copyInto(trx, 'staging_warnings', WARNING_COLUMNS, inPieces(fired));
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
