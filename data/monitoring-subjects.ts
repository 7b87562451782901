// What the comparison's rules read about each person (domain/monitoring-rules.ts Subject), gathered for
// data/monitoring.ts compareDatasets from two streams out of PostgreSQL (COPY), both sorted by person id:
// - the facts of the people the database knows (household, coverage, medical subsidies), read first;
// - the person's rows of each dataset's latest snapshot, pivoted here one person at a time as the stream passes, and
//   matched to the known facts by walking both in order (a merge join: no lookup per person).
//
// Why not one query that pivots and joins in PostgreSQL (as until 2026-12-04): its per-person aggregates, joins and the
// writing of 16 columns for every person took 2.2 s of the 2.8 s a comparison of 1,000,000 rows took, where the sorted
// rows alone stream out in 0.9 s (PostgreSQL sorts in parallel; README, "Monitoring"). The pivot here keeps the
// aggregates' meaning: lowest grade, highest figures, label and township, the datasets present, the number of rows.
//
// Both orders are PostgreSQL's order of uuid values, which is the order of their text (lowercase hex, dashes at fixed
// places) as JavaScript compares strings: the walk depends on that, so both queries sort by `person_id::uuid`.
import type { AssistanceCategory } from '../domain/glossary';
import type { Dataset } from '../domain/monitoring';
import type { Subject } from '../domain/monitoring-rules';

/**
 * Each dataset's bit in PersonRows.datasets. An object literal, read by name in subjectOf: built with
 * Object.fromEntries and read by a computed key, the same lookups made building a subject 10 to 50 times slower
 * (README, "Monitoring").
 */
const BIT = {
  HARDSHIP_STUDENT: 1,
  REGISTERED_UNEMPLOYED: 2,
  EMPLOYMENT_WAGE: 4,
  SERIOUS_ILLNESS: 8,
  MEDICAL_EXPENSES: 16,
  SEVERE_DISABILITY: 32,
  RETURN_MONITORING: 64,
} as const satisfies Record<Dataset, number>;

/**
 * The snapshots' rows, sorted by person, each dataset as its bit (BIT: a number is cheaper to read in than the code);
 * `snapshots` is a bound, knex-quoted list of (dataset, as_of) pairs.
 */
export const ROWS_SQL = (snapshots: string) => `
  select person_id, case dataset ${Object.entries(BIT)
    .map(([d, bit]) => `when '${d}' then ${bit}`)
    .join(' ')} end, amount, income, grade, label, region_code
    from monitoring_rows where (dataset, as_of) in (${snapshots})
   order by person_id::uuid`;

/**
 * What the database knows of its people, sorted by person, a line per fact: 'H' the current household (its id,
 * township and residence), 'C' the categories of the active recipients covering them, 'S' the years with a
 * MEDICAL_SUBSIDY in their chain. A household's current size is counted from its 'H' lines (knownPeople): a
 * grouped count joined here cost as much again as the rest of the query.
 */
export const KNOWN_PEOPLE_SQL = `
  select * from (
  select m.person_id, 'H' as kind, m.household_id::text as a, h.region_code as b, h.residence as c
    from members m left join households h on h.id = m.household_id
   where m.left_on is null
  union all
  select cp.person_id, 'C', string_agg(distinct rc.category, ','), null, null
    from recipients rc join case_people cp on cp.case_id = rc.case_id
   where rc.status = 'ACTIVE' group by cp.person_id
  union all
  select person_id, 'S', string_agg(distinct left(period, 4), ','), null, null
    from assistance_records where kind = 'MEDICAL_SUBSIDY' group by person_id
  ) known order by person_id::uuid`;

export interface HouseholdFacts {
  householdId: string;
  /** The household's township (null: no household row, which a foreign key rules out). */
  region: string | null;
  residence: string | null;
  size: number;
}

/** What the comparison knows of a person in the database. */
export interface KnownPerson {
  personId: string;
  household: HouseholdFacts | undefined;
  coveredBy: readonly AssistanceCategory[];
  subsidyYears: readonly string[];
}

const list = (v: string | null) => (v ? v.split(',') : []);

/**
 * KNOWN_PEOPLE_SQL's lines, in their order, gathered per person: `list` is sorted by person. The members of a
 * household share one HouseholdFacts, whose size counts them.
 */
export class KnownPeople {
  readonly list: KnownPerson[] = [];
  private readonly households = new Map<string, HouseholdFacts>();

  add([personId, kind, a, b, c]: readonly (string | null)[]): void {
    let person = this.list[this.list.length - 1];
    if (person?.personId !== personId) {
      person = { personId: personId!, household: undefined, coveredBy: [], subsidyYears: [] };
      this.list.push(person);
    }
    if (kind === 'H') {
      let household = this.households.get(a!);
      if (!household) this.households.set(a!, (household = { householdId: a!, region: b, residence: c, size: 0 }));
      household.size++;
      person.household = household;
    } else if (kind === 'C') person.coveredBy = list(a) as AssistanceCategory[];
    else person.subsidyYears = list(a);
  }
}

const BACKSLASH = 92;
const DIGIT_0 = 48;
const HEX_A = 97;
/**
 * The first 8 hex digits of a person id (PostgreSQL writes them lowercase) as a number: in the same order as the ids'
 * text, and compared far faster than two strings sliced out of COPY text (comparing those was 70 of the 480 ms Node
 * spent pivoting and judging 500,000 people; README, "Monitoring").
 */
function idKey(personId: string): number {
  let k = 0;
  for (let j = 0; j < 8; j++) {
    const c = personId.charCodeAt(j);
    k = k * 16 + (c < HEX_A ? c - DIGIT_0 : c - HEX_A + 10);
  }
  return k;
}

/**
 * Walks a sorted list of known people along ascending person ids: `at(id)` is that person's facts, if known. Asked out
 * of order it throws: a person it had passed would silently count as unknown. Ids are compared by idKey first, by
 * their text only where the keys are equal.
 */
export function knownPeopleWalk(known: readonly KnownPerson[]): { at(personId: string): KnownPerson | undefined } {
  const keys = new Float64Array(known.length);
  for (let j = 0; j < known.length; j++) keys[j] = idKey(known[j].personId);
  let i = 0;
  let lastKey = -1;
  let last = '';
  return {
    at(personId) {
      const key = idKey(personId);
      if (key < lastKey || (key === lastKey && personId < last))
        throw new Error(`person ids out of order: ${personId} after ${last}`);
      lastKey = key;
      last = personId;
      while (i < known.length && (keys[i] < key || (keys[i] === key && known[i].personId < personId))) i++;
      return keys[i] === key && known[i].personId === personId ? known[i] : undefined;
    },
  };
}

/** One person's rows, pivoted: what the rules read, as PostgreSQL's filtered aggregates computed it before. */
export interface PersonRows {
  personId: string;
  /** The datasets holding a row of theirs: a bit each (BIT). */
  datasets: number;
  /** Lowest grade of their SEVERE_DISABILITY rows. */
  disabilityGrade: number | null;
  /** Highest amount and income of their MEDICAL_EXPENSES rows. */
  medicalPaid: number | null;
  medicalIncome: number | null;
  /** Highest amount and label of their RETURN_MONITORING rows. */
  returnIncome: number | null;
  returnRisk: string | null;
  /** Highest amount of their EMPLOYMENT_WAGE rows. */
  wage: number | null;
  /** The highest township a department gave for them. */
  rowRegion: string | null;
  rowCount: number;
}

function personRows(personId: string): PersonRows {
  return {
    personId,
    datasets: 0,
    disabilityGrade: null,
    medicalPaid: null,
    medicalIncome: null,
    returnIncome: null,
    returnRisk: null,
    wage: null,
    rowRegion: null,
    rowCount: 0,
  };
}

const max = <T extends number | string>(a: T | null, b: T | null) => (b === null || (a !== null && a >= b) ? a : b);
const min = (a: number | null, b: number | null) => (b === null || (a !== null && a <= b) ? a : b);

/** Field `f` of the line whose fields start at `at`: its text, or null for COPY's \N (values hold no backslash). */
const fieldOf = (text: string, at: Int32Array, f: number) =>
  text.charCodeAt(at[f]) === BACKSLASH ? null : text.slice(at[f], at[f + 1] - 1);
const DOT = 46;
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MINUS = 45;
/**
 * Field `f` as a number, read digit by digit where it lies (Number() of a slice was a quarter of the pivot's time).
 * The digits as one integer over a power of ten is the same double Number() reads, as long as both are exact: up to
 * 15 digits (the columns are decimal(14, 2)); anything longer or unexpected is left to Number().
 */
const numberOf = (text: string, at: Int32Array, f: number): number | null => {
  let i = at[f];
  const end = at[f + 1] - 1;
  let c = text.charCodeAt(i);
  if (c === BACKSLASH) return null;
  const negative = c === MINUS;
  if (negative) i++;
  let digits = 0;
  let scale = -1;
  let m = 0;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c === DOT && scale < 0) scale = 0;
    else if (c >= DIGIT_0 && c <= DIGIT_0 + 9) {
      m = m * 10 + c - DIGIT_0;
      digits++;
      if (scale >= 0) scale++;
    } else return Number(text.slice(at[f], end));
  }
  if (digits === 0 || digits > 15) return Number(text.slice(at[f], end));
  const v = scale > 0 ? m / POWERS_OF_TEN[scale] : m;
  return negative ? -v : v;
};

/**
 * ROWS_SQL's COPY text in, each person's pivoted rows out (to `onPerson`) once the next person's rows begin, and at
 * `end()`. The fields are read where they lie in the text: splitting each of 1,000,000 lines into seven strings was
 * most of a comparison's time in Node (README, "Monitoring"). A person id is read once per person, a figure only
 * where its dataset uses it.
 */
export class RowsPivot {
  private person: PersonRows | undefined;
  /** Where each field of the current line starts, and where the line ends (its newline). */
  private readonly starts = new Int32Array(8);

  constructor(private readonly onPerson: (p: PersonRows) => void) {}

  /** Whole lines of ROWS_SQL (person_id, dataset bit, amount, income, grade, label, region_code), each ending in \n. */
  add(text: string): void {
    const at = this.starts;
    let pos = 0;
    while (pos < text.length) {
      at[0] = pos;
      for (let f = 1; f < 7; f++) at[f] = text.indexOf('\t', at[f - 1]) + 1;
      const end = text.indexOf('\n', at[6]);
      at[7] = end + 1;
      this.row(text, at);
      pos = end + 1;
    }
  }

  end(): void {
    if (this.person) this.onPerson(this.person);
    this.person = undefined;
  }

  private row(text: string, at: Int32Array): void {
    const idLength = at[1] - 1 - at[0];
    let p = this.person;
    if (!p || p.personId.length !== idLength || !text.startsWith(p.personId, at[0])) {
      if (p) this.onPerson(p);
      p = this.person = personRows(text.slice(at[0], at[0] + idLength));
    }
    let bit = 0;
    for (let i = at[1]; i < at[2] - 1; i++) bit = bit * 10 + text.charCodeAt(i) - DIGIT_0;
    p.datasets |= bit;
    p.rowCount++;
    p.rowRegion = max(p.rowRegion, fieldOf(text, at, 6));
    if (bit === BIT.SEVERE_DISABILITY) p.disabilityGrade = min(p.disabilityGrade, numberOf(text, at, 4));
    else if (bit === BIT.MEDICAL_EXPENSES) {
      p.medicalPaid = max(p.medicalPaid, numberOf(text, at, 2));
      p.medicalIncome = max(p.medicalIncome, numberOf(text, at, 3));
    } else if (bit === BIT.RETURN_MONITORING) {
      p.returnIncome = max(p.returnIncome, numberOf(text, at, 2));
      p.returnRisk = max(p.returnRisk, fieldOf(text, at, 5));
    } else if (bit === BIT.EMPLOYMENT_WAGE) p.wage = max(p.wage, numberOf(text, at, 2));
  }
}

const facts = (
  amount: number | null,
  income: number | null,
  grade: number | null,
  label: string | null,
  asOf: string,
) => ({ amount, income, grade, label, asOf });

/** A person's pivoted rows and what the database knows of them, as the rules' subject. */
export function subjectOf(
  p: PersonRows,
  snapshots: Partial<Record<Dataset, string>>,
  known: KnownPerson | undefined,
): Subject {
  // Every dataset's key, in one order (undefined where the person has no row): one object shape for all subjects,
  // which keeps the rules' reads of `rows.<dataset>` fast. Record<Dataset, …>: a dataset added to DATASETS without
  // its line here does not compile.
  const m = p.datasets;
  const rows: Record<Dataset, Subject['rows'][Dataset]> = {
    HARDSHIP_STUDENT: m & BIT.HARDSHIP_STUDENT ? facts(null, null, null, null, snapshots.HARDSHIP_STUDENT!) : undefined,
    REGISTERED_UNEMPLOYED:
      m & BIT.REGISTERED_UNEMPLOYED ? facts(null, null, null, null, snapshots.REGISTERED_UNEMPLOYED!) : undefined,
    EMPLOYMENT_WAGE: m & BIT.EMPLOYMENT_WAGE ? facts(p.wage, null, null, null, snapshots.EMPLOYMENT_WAGE!) : undefined,
    SERIOUS_ILLNESS: m & BIT.SERIOUS_ILLNESS ? facts(null, null, null, null, snapshots.SERIOUS_ILLNESS!) : undefined,
    MEDICAL_EXPENSES:
      m & BIT.MEDICAL_EXPENSES
        ? facts(p.medicalPaid, p.medicalIncome, null, null, snapshots.MEDICAL_EXPENSES!)
        : undefined,
    SEVERE_DISABILITY:
      m & BIT.SEVERE_DISABILITY ? facts(null, null, p.disabilityGrade, null, snapshots.SEVERE_DISABILITY!) : undefined,
    RETURN_MONITORING:
      m & BIT.RETURN_MONITORING
        ? facts(p.returnIncome, null, null, p.returnRisk, snapshots.RETURN_MONITORING!)
        : undefined,
  };
  const household = known?.household;
  return {
    coveredBy: known?.coveredBy ?? [],
    // Choice (docs/monitoring.md): a person the database knows no household of is compared at the rural standard.
    residence: household?.residence === 'URBAN' ? 'URBAN' : 'RURAL',
    householdSize: household ? household.size : 1,
    medicalSubsidyYears: known?.subsidyYears ?? [],
    rows,
  };
}
