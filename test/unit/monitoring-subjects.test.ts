// data/monitoring-subjects.ts: a person's rows pivoted as PostgreSQL's filtered aggregates did before (lowest grade,
// highest figures, label and township, the datasets present, the row count), the known people gathered per person,
// and the walk that matches both streams by their order. The real queries and their order: the comparison's e2e
// tests (test/e2e/monitoring.test.ts) and bench/monitoring.ts.
import { randomUUID } from 'node:crypto';
import {
  ROWS_SQL,
  RowsPivot,
  KnownPeople,
  knownPeopleWalk,
  subjectOf,
  type PersonRows,
} from '../../data/monitoring-subjects';

// The bit ROWS_SQL selects for each dataset, read back from its text (the test does not restate the table).
const bitOf = (dataset: string) => {
  const m = new RegExp(`when '${dataset}' then (\\d+)`).exec(ROWS_SQL("('x'::text, '2026-01-01'::date)"));
  if (!m) throw new Error(`no bit for ${dataset}`);
  return m[1];
};
/** A line of ROWS_SQL's COPY text: tabs between fields, \N for null, a newline at the end. */
const line = (
  personId: string,
  dataset: string,
  f: { amount?: string; income?: string; grade?: string; label?: string; region?: string } = {},
) =>
  `${[personId, bitOf(dataset), f.amount, f.income, f.grade, f.label, f.region].map((v) => v ?? '\\N').join('\t')}\n`;

/** Each person's pivoted rows, for COPY text given in pieces (as copyOutText yields it). */
function pivot(...pieces: string[]): PersonRows[] {
  const out: PersonRows[] = [];
  const rows = new RowsPivot((p) => out.push(p));
  for (const text of pieces) rows.add(text);
  rows.end();
  return out;
}

const snapshots = {
  SEVERE_DISABILITY: '2026-05-01',
  MEDICAL_EXPENSES: '2026-05-02',
  RETURN_MONITORING: '2026-05-03',
  EMPLOYMENT_WAGE: '2026-05-04',
  HARDSHIP_STUDENT: '2026-05-05',
} as const;

describe("a person's rows, pivoted", () => {
  const [id, next] = [randomUUID(), randomUUID()].sort();
  const [p, other] = pivot(
    line(id, 'SEVERE_DISABILITY', { grade: '2', region: '410721101' }) +
      line(id, 'SEVERE_DISABILITY', { grade: '1' }) +
      line(id, 'MEDICAL_EXPENSES', { amount: '9000.50', income: '10000', region: '410721103' }),
    line(id, 'MEDICAL_EXPENSES', { amount: '100', income: '60000' }) +
      line(id, 'RETURN_MONITORING', { amount: '700', label: 'EDGE_AT_RISK' }) +
      line(id, 'RETURN_MONITORING', { amount: '650', label: 'SUDDEN_HARDSHIP' }) +
      line(id, 'EMPLOYMENT_WAGE', { amount: '3000' }) +
      line(id, 'EMPLOYMENT_WAGE') +
      line(id, 'HARDSHIP_STUDENT', { region: '410721102' }) +
      line(next, 'SERIOUS_ILLNESS'),
  );

  it("ends a person where the next one's rows begin, across the pieces of the text", () => {
    expect([p.personId, other.personId]).toEqual([id, next]);
    expect(other).toMatchObject({ rowCount: 1, rowRegion: null, wage: null });
  });

  it('keeps the lowest grade, the highest figures, label and township, and counts the rows', () => {
    expect(p).toMatchObject({
      disabilityGrade: 1,
      medicalPaid: 9000.5,
      medicalIncome: 60000, // each figure its own highest, as max(amount) and max(income) were
      returnIncome: 700,
      returnRisk: 'SUDDEN_HARDSHIP',
      wage: 3000, // a row without a figure changes nothing
      rowRegion: '410721103',
      rowCount: 9,
    });
  });

  it("is the rules' subject: a row for each dataset present, with its snapshot's date, none for the others", () => {
    const s = subjectOf(p, snapshots, undefined);
    expect(s.rows.SEVERE_DISABILITY).toEqual({
      amount: null,
      income: null,
      grade: 1,
      label: null,
      asOf: '2026-05-01',
    });
    expect(s.rows.MEDICAL_EXPENSES).toMatchObject({ amount: 9000.5, income: 60000, asOf: '2026-05-02' });
    expect(s.rows.RETURN_MONITORING).toMatchObject({ amount: 700, label: 'SUDDEN_HARDSHIP', asOf: '2026-05-03' });
    expect(s.rows.EMPLOYMENT_WAGE).toMatchObject({ amount: 3000, asOf: '2026-05-04' });
    expect(s.rows.HARDSHIP_STUDENT).toMatchObject({ amount: null, asOf: '2026-05-05' });
    expect(s.rows.SERIOUS_ILLNESS).toBeUndefined();
    expect(s.rows.REGISTERED_UNEMPLOYED).toBeUndefined();
    // Unknown to the database: not covered, rural standard, a household of one.
    expect(s).toMatchObject({ coveredBy: [], residence: 'RURAL', householdSize: 1, medicalSubsidyYears: [] });
  });
});

// The pivot reads figures digit by digit where they lie in the text; whatever the text, the figure is Number()'s.
it('reads every figure as Number() reads its text', () => {
  const texts = ['0', '-0', '12', '9000.50', '0.01', '-735.25', '999999999999.99', '1234567890123456.78', '007.10'];
  texts.push('1e3'); // not a decimal COPY writes: left to Number()
  for (let k = 0; k < 2_000; k++) {
    const whole = String(Math.floor(Math.random() * 10 ** (1 + (k % 13))));
    const cents = String(k % 100).padStart(2, '0');
    texts.push(k % 3 === 0 ? whole : `${k % 7 === 0 ? '-' : ''}${whole}.${k % 5 === 0 ? cents[0] : cents}`);
  }
  const id = randomUUID();
  const read = pivot(texts.map((amount) => line(id, 'EMPLOYMENT_WAGE', { amount })).join(''))[0];
  expect(read.wage).toBe(Math.max(...texts.map(Number)));
  for (const amount of texts)
    expect([amount, pivot(line(id, 'MEDICAL_EXPENSES', { amount, income: amount }))[0].medicalPaid]).toEqual([
      amount,
      Number(amount),
    ]);
});

describe('the people the database knows', () => {
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()].sort();
  const h1 = randomUUID();
  const people = new KnownPeople();
  for (const l of [
    [a, 'H', h1, '410721101', 'URBAN'],
    [a, 'C', 'DIBAO,TEKUN', null, null],
    [a, 'S', '2025,2026', null, null],
    [b, 'H', h1, '410721101', 'URBAN'],
    [c, 'S', '2026', null, null],
  ])
    people.add(l);
  const known = people.list;

  it("are one entry each, their facts gathered, a household's size counted from its current members", () => {
    expect(known.map((k) => k.personId)).toEqual([a, b, c]);
    expect(known[0]).toEqual({
      personId: a,
      household: { householdId: h1, region: '410721101', residence: 'URBAN', size: 2 },
      coveredBy: ['DIBAO', 'TEKUN'],
      subsidyYears: ['2025', '2026'],
    });
    expect(known[1].household).toBe(known[0].household); // one household, shared by its members
    expect(known[2]).toEqual({ personId: c, household: undefined, coveredBy: [], subsidyYears: ['2026'] });
  });

  it('give the subject its coverage, residence, household size and subsidies', () => {
    const [p] = pivot(line(a, 'MEDICAL_EXPENSES', { amount: '1', income: '2' }));
    expect(subjectOf(p, snapshots, known[0])).toMatchObject({
      coveredBy: ['DIBAO', 'TEKUN'],
      residence: 'URBAN',
      householdSize: 2,
      medicalSubsidyYears: ['2025', '2026'],
    });
  });

  it('are found by walking them along ascending person ids, and a walk asked out of order throws', () => {
    const unknown = [randomUUID(), randomUUID(), randomUUID()];
    const asked = [...unknown, a, b, c].sort();
    const walk = knownPeopleWalk(known);
    expect(asked.map((id) => walk.at(id)?.personId)).toEqual(
      asked.map((id) => ([a, b, c].includes(id) ? id : undefined)),
    );
    expect(() => walk.at(a)).toThrow(/out of order/);
  });

  it('tell apart ids that share their first eight hex digits, the part the walk compares as a number', () => {
    const prefix = randomUUID().slice(0, 8);
    const same = Array.from({ length: 6 }, () => prefix + randomUUID().slice(8)).sort();
    const list = new KnownPeople();
    for (const id of [same[1], same[3], same[4]]) list.add([id, 'S', '2026', null, null]);
    const walk = knownPeopleWalk(list.list);
    expect(same.map((id) => walk.at(id) !== undefined)).toEqual([false, true, false, true, true, false]);
    expect(() => walk.at(same[2])).toThrow(/out of order/); // same key, earlier text
  });
});

// The walk relies on JavaScript's order of uuid text being PostgreSQL's order of uuid values (bytes compared in order).
it('orders uuid text as PostgreSQL orders uuids: by their bytes', () => {
  const ids = Array.from({ length: 2_000 }, () => randomUUID());
  const bytes = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');
  const byText = [...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const byBytes = [...ids].sort((x, y) => Buffer.compare(bytes(x), bytes(y)));
  expect(byText).toEqual(byBytes);
});
