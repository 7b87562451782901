// The comparison rules (domain/monitoring-rules.ts; docs/policy.md §7.2, §7.3) at their boundaries: for each rule a
// subject just on each side of its threshold, the warning class it raises, the figures its finding and explanation
// carry, and that neither carries a name or an ID number.
import { checkCharacter } from '../../domain/idNumber';
import {
  DATASETS,
  HARDSHIP_DATASETS,
  WARNING_CLASSES,
  type Dataset,
  type StoredFacts,
  type WarningClass,
} from '../../domain/monitoring';
import { validateMonitoringRow } from '../../domain/monitoring-rows';
import {
  DIBAO_WAGE_ABOVE_STANDARD,
  MEDICAL_EXPENSES_HALF_OF_INCOME,
  MULTIPLE_HARDSHIPS,
  RETURN_MONITORING_QUALIFIES,
  RULES,
  SEVERE_DISABILITY_EDGE_NOT_ALONE,
  TEKUN_WITHOUT_MEDICAL_SUBSIDY,
  VISIT_REPORT_RULE,
  evaluate,
  explainWarning,
  ruleById,
  type Finding,
  type Rule,
  type RuleParameters,
  type Subject,
} from '../../domain/monitoring-rules';

// The 2025 sample standards (docs/policy.md §3.1, §3.3), written out so a change of the seed does not move the lines.
const P: RuleParameters = { dibaoStandardUrban: 630, dibaoStandardRural: 420, edgeMultiplier: 1.5 };
const AS_OF = '2026-03-01';

const row = (facts: Partial<StoredFacts> = {}, asOf = AS_OF) => ({
  amount: null,
  income: null,
  grade: null,
  label: null,
  ...facts,
  asOf,
});

const subject = (s: Partial<Subject> = {}): Subject => ({
  coveredBy: [],
  residence: 'RURAL',
  householdSize: 1,
  medicalSubsidyYears: [],
  rows: {},
  ...s,
});

const fires = (rule: Rule, s: Subject, p: RuleParameters = P) => rule.test(s, p) !== undefined;

/** The rule raises `warningClass`, and its explanation of `f` holds each fragment in its language. */
function expectExplained(
  rule: Rule,
  f: Finding,
  warningClass: WarningClass,
  fragments: { zh: string[]; en: string[] },
) {
  expect(rule.warningClass).toBe(warningClass);
  const explained = rule.explain(f);
  for (const lang of ['zh', 'en'] as const) for (const t of fragments[lang]) expect(explained[lang]).toContain(t);
}

describe('SEVERE_DISABILITY_EDGE_NOT_ALONE (§3.1 单人保, §3.3)', () => {
  const rule = SEVERE_DISABILITY_EDGE_NOT_ALONE;
  const disabled = (grade: number | null, coveredBy: Subject['coveredBy'] = ['DIBAO_EDGE']) =>
    subject({ coveredBy, rows: { SEVERE_DISABILITY: row({ grade }) } });

  it.each([
    [1, true],
    [2, true],
    [3, false],
    [null, false],
  ])('grade %p in a DIBAO_EDGE household → fires: %p', (grade, expected) => {
    expect(fires(rule, disabled(grade))).toBe(expected);
  });

  it.each([
    [['DIBAO_EDGE'], true],
    [['DIBAO_EDGE', 'RIGID_EXPENDITURE'], true],
    [['DIBAO_EDGE', 'DIBAO'], false],
    [['DIBAO_EDGE', 'TEKUN'], false],
    [['DIBAO'], false],
    [['RIGID_EXPENDITURE'], false],
    [[], false],
  ] as const)('covered by %p → fires: %p', (coveredBy, expected) => {
    expect(fires(rule, disabled(1, coveredBy))).toBe(expected);
  });

  it('needs the federation row; the grade and the categories are its figures', () => {
    expect(fires(rule, subject({ coveredBy: ['DIBAO_EDGE'] }))).toBe(false);
    const f = rule.test(disabled(2, ['DIBAO_EDGE', 'RIGID_EXPENDITURE']), P)!;
    expect(f).toEqual({ disabilityGrade: 2, coveredBy: ['DIBAO_EDGE', 'RIGID_EXPENDITURE'] });
    expectExplained(rule, f, 'POLICY_NOT_IMPLEMENTED', { zh: ['2级重度残疾人'], en: ['grade 2'] });
  });
});

describe('TEKUN_WITHOUT_MEDICAL_SUBSIDY (plan 三(二)1)', () => {
  const rule = TEKUN_WITHOUT_MEDICAL_SUBSIDY;
  const tekun = (asOf: string, years: string[], coveredBy: Subject['coveredBy'] = ['TEKUN']) =>
    subject({ coveredBy, medicalSubsidyYears: years, rows: { MEDICAL_EXPENSES: row({ amount: 0, income: 0 }, asOf) } });

  it.each([
    ['2026-03-01', [], '2026'],
    ['2026-03-01', ['2025'], '2026'],
    ['2026-03-01', ['2027'], '2026'],
    ['2025-12-31', ['2026'], '2025'],
    ['2026-03-01', ['2026'], undefined],
    ['2026-01-01', ['2025', '2026'], undefined],
  ])('snapshot of %s, subsidies of %p → year %p', (asOf, years, year) => {
    expect(rule.test(tekun(asOf, years), P)).toEqual(year === undefined ? undefined : { year });
  });

  it('only for TEKUN, and only when the medical insurance knows the person', () => {
    expect(fires(rule, tekun(AS_OF, [], ['DIBAO']))).toBe(false);
    expect(fires(rule, tekun(AS_OF, [], []))).toBe(false);
    expect(fires(rule, tekun(AS_OF, [], ['DIBAO', 'TEKUN']))).toBe(true);
    expect(fires(rule, subject({ coveredBy: ['TEKUN'], rows: { SEVERE_DISABILITY: row({ grade: 1 }) } }))).toBe(false);
  });

  it('POLICY_NOT_IMPLEMENTED, explained with the year', () => {
    expectExplained(rule, { year: '2026' }, 'POLICY_NOT_IMPLEMENTED', { zh: ['在2026年'], en: ['for 2026'] });
  });
});

describe('MEDICAL_EXPENSES_HALF_OF_INCOME (§3.4: at least 50 %, nothing spent never passes)', () => {
  const rule = MEDICAL_EXPENSES_HALF_OF_INCOME;
  const medical = (amount: number | null, income: number | null, coveredBy: Subject['coveredBy'] = []) =>
    subject({ coveredBy, rows: { MEDICAL_EXPENSES: row({ amount, income }) } });

  it.each([
    [20000, 40000, true], // exactly half
    [19999.99, 40000, false], // a fen below
    [40000, 40000, true],
    [20000.01, 40000.01, true], // half is 20000.005: the fen above reaches it
    [20000, 40000.01, false],
    [0.01, 0, true], // any spending against no income
    [0, 0, false], // nothing spent never passes
    [0, 1000, false],
    [null, 40000, false],
    [20000, null, false],
  ])('%p paid of %p income → fires: %p', (amount, income, expected) => {
    expect(fires(rule, medical(amount, income))).toBe(expected);
  });

  it('only for people not covered by any category', () => {
    for (const c of ['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'RIGID_EXPENDITURE', 'OTHER_HARDSHIP'] as const)
      expect(fires(rule, medical(30000, 40000, [c]))).toBe(false);
  });

  it('POSSIBLY_ELIGIBLE, explained with both figures', () => {
    const f = rule.test(medical(20000.5, 40000), P)!;
    expect(f).toEqual({ selfPaid12m: 20000.5, householdIncome12m: 40000 });
    expectExplained(rule, f, 'POSSIBLY_ELIGIBLE', {
      zh: ['自付医疗费用20000.5元', '家庭收入40000元'],
      en: ['20000.5 yuan', '40000 yuan'],
    });
  });
});

describe('RETURN_MONITORING_QUALIFIES (§3.3, §3.5: strictly below 1.5 × the standard)', () => {
  const rule = RETURN_MONITORING_QUALIFIES;
  const monitored = (
    amount: number | null,
    residence: Subject['residence'] = 'RURAL',
    coveredBy: Subject['coveredBy'] = [],
  ) => subject({ residence, coveredBy, rows: { RETURN_MONITORING: row({ amount, label: 'EDGE_AT_RISK' }) } });

  it.each([
    ['RURAL', 629.99, 630],
    ['RURAL', 0, 630],
    ['URBAN', 944.99, 945],
    ['URBAN', 629.99, 945],
  ] as const)('%s %p → fires with the edge line %p', (residence, amount, edgeLine) => {
    expect(rule.test(monitored(amount, residence), P)).toEqual({
      riskType: 'EDGE_AT_RISK',
      perCapitaMonthlyIncome: amount,
      edgeLine,
    });
  });

  it.each([
    ['RURAL', 630],
    ['RURAL', 700],
    ['URBAN', 945],
    ['URBAN', 1000],
  ] as const)('%s %p (on or above the line) → does not fire', (residence, amount) => {
    expect(rule.test(monitored(amount, residence), P)).toBeUndefined();
  });

  it('the urban and the rural standard: 700 yuan is below the urban line only', () => {
    expect(fires(rule, monitored(700, 'URBAN'))).toBe(true);
    expect(fires(rule, monitored(700, 'RURAL'))).toBe(false);
  });

  it('a multiplier of four decimals: compared with the exact line, not the rounded one', () => {
    // 1.5555 × 633 = 984.6315: 984.63 is below it (the assessment's edge.income agrees), 984.64 is not.
    const p = { ...P, dibaoStandardRural: 633, edgeMultiplier: 1.5555 };
    expect(rule.test(monitored(984.63), p)).toMatchObject({ edgeLine: 984.63 });
    expect(fires(rule, monitored(984.64), p)).toBe(false);
  });

  it('not for covered people, nor without an income figure', () => {
    expect(fires(rule, monitored(100, 'RURAL', ['OTHER_HARDSHIP']))).toBe(false);
    expect(fires(rule, monitored(100, 'RURAL', ['DIBAO_EDGE']))).toBe(false);
    expect(fires(rule, monitored(null))).toBe(false);
  });

  it('POSSIBLY_ELIGIBLE, explained with the risk type, the income and the line', () => {
    expectExplained(rule, rule.test(monitored(300.5), P)!, 'POSSIBLY_ELIGIBLE', {
      zh: ['防止返贫监测对象（EDGE_AT_RISK）人均月收入300.5元，低于低保边缘标准630元，未纳入救助。'],
      en: ['(EDGE_AT_RISK)', '300.5 yuan', 'line of 630'],
    });
  });
});

describe('MULTIPLE_HARDSHIPS (§7.3 Choice: three hardship datasets)', () => {
  const rule = MULTIPLE_HARDSHIPS;
  const withRows = (datasets: readonly Dataset[], coveredBy: Subject['coveredBy'] = []) =>
    subject({ coveredBy, rows: Object.fromEntries(datasets.map((d) => [d, row({ amount: 1, income: 1 })])) });

  it('two hardships do not fire, three do', () => {
    expect(rule.test(withRows(['HARDSHIP_STUDENT', 'SERIOUS_ILLNESS']), P)).toBeUndefined();
    expect(rule.test(withRows(['HARDSHIP_STUDENT', 'SERIOUS_ILLNESS', 'SEVERE_DISABILITY']), P)).toEqual({
      datasets: ['HARDSHIP_STUDENT', 'SERIOUS_ILLNESS', 'SEVERE_DISABILITY'],
      count: 3,
    });
  });

  it('a wage is no hardship: two hardships and a wage do not fire', () => {
    expect(HARDSHIP_DATASETS).not.toContain('EMPLOYMENT_WAGE');
    expect(fires(rule, withRows(['REGISTERED_UNEMPLOYED', 'MEDICAL_EXPENSES', 'EMPLOYMENT_WAGE']))).toBe(false);
  });

  it('every dataset at once: the six hardships, listed in dataset order, whoever covers the person', () => {
    const f = rule.test(withRows([...DATASETS].reverse(), ['DIBAO']), P)!;
    expect(f).toEqual({ datasets: [...HARDSHIP_DATASETS], count: 6 });
    expectExplained(rule, f, 'COMPLEX', {
      zh: ['6个部门的数据', HARDSHIP_DATASETS.join('、')],
      en: ["6 departments' data", HARDSHIP_DATASETS.join(', ')],
    });
  });
});

describe('DIBAO_WAGE_ABOVE_STANDARD (§3.1 strictly below; §4.2)', () => {
  const rule = DIBAO_WAGE_ABOVE_STANDARD;
  const employed = (
    amount: number | null,
    opts: Partial<Pick<Subject, 'residence' | 'householdSize' | 'coveredBy'>> = {},
  ) => subject({ coveredBy: ['DIBAO'], ...opts, rows: { EMPLOYMENT_WAGE: row({ amount }) } });

  it.each([
    ['RURAL', 1, 419.99, false],
    ['RURAL', 1, 420, true], // exactly the standard: the income is no longer below it
    ['RURAL', 1, 421, true], // a yuan above
    ['URBAN', 1, 629.99, false],
    ['URBAN', 1, 630, true],
    ['URBAN', 1, 631, true],
    ['URBAN', 3, 1889.99, false],
    ['URBAN', 3, 1890, true],
    ['RURAL', 3, 1259.99, false],
    ['RURAL', 3, 1260, true],
    ['URBAN', 3, 1260, false], // the same wage against the urban standard
    ['RURAL', 0, 419.99, false], // no current members known: counted as one
    ['RURAL', 0, 420, true],
  ] as const)('%s household of %p, wage %p → fires: %p', (residence, householdSize, wage, expected) => {
    expect(fires(rule, employed(wage, { residence, householdSize }))).toBe(expected);
  });

  it('a standard with a decimal is compared in whole fen (630.1 × 3 = 1890.30)', () => {
    const p = { ...P, dibaoStandardUrban: 630.1 };
    expect(fires(rule, employed(1890.3, { residence: 'URBAN', householdSize: 3 }), p)).toBe(true);
    expect(fires(rule, employed(1890.29, { residence: 'URBAN', householdSize: 3 }), p)).toBe(false);
  });

  it('only for DIBAO, and only with a wage figure', () => {
    for (const coveredBy of [['TEKUN'], ['DIBAO_EDGE'], []] as const)
      expect(fires(rule, employed(5000, { coveredBy }))).toBe(false);
    expect(fires(rule, employed(5000, { coveredBy: ['TEKUN', 'DIBAO'] }))).toBe(true);
    expect(fires(rule, employed(null))).toBe(false);
  });

  it('POSSIBLY_INELIGIBLE, explained with the wage, the household size and the standard', () => {
    const f = rule.test(employed(3000, { residence: 'URBAN', householdSize: 4 }), P)!;
    expect(f).toEqual({ monthlyWage: 3000, householdSize: 4, dibaoStandard: 630 });
    expectExplained(rule, f, 'POSSIBLY_INELIGIBLE', {
      zh: ['低保家庭成员登记就业，月工资3000元，按家庭4人计人均不低于低保标准630元。'],
      en: ['3000 yuan', 'over 4 members', 'standard of 630'],
    });
  });
});

// One firing subject per rule, for the properties every rule must have.
const FIRING: Record<string, Subject> = {
  SEVERE_DISABILITY_EDGE_NOT_ALONE: subject({
    coveredBy: ['DIBAO_EDGE'],
    rows: { SEVERE_DISABILITY: row({ grade: 1 }) },
  }),
  TEKUN_WITHOUT_MEDICAL_SUBSIDY: subject({
    coveredBy: ['TEKUN'],
    rows: { MEDICAL_EXPENSES: row({ amount: 100, income: 10000 }) },
  }),
  MEDICAL_EXPENSES_HALF_OF_INCOME: subject({ rows: { MEDICAL_EXPENSES: row({ amount: 6000, income: 12000 }) } }),
  RETURN_MONITORING_QUALIFIES: subject({
    rows: { RETURN_MONITORING: row({ amount: 350, label: 'SUDDEN_SEVERE_HARDSHIP' }) },
  }),
  MULTIPLE_HARDSHIPS: subject({
    rows: { HARDSHIP_STUDENT: row({ label: 'PRIMARY' }), SERIOUS_ILLNESS: row(), REGISTERED_UNEMPLOYED: row() },
  }),
  DIBAO_WAGE_ABOVE_STANDARD: subject({ coveredBy: ['DIBAO'], rows: { EMPLOYMENT_WAGE: row({ amount: 2000 }) } }),
};

const figures = (f: Finding) => Object.values(f).flatMap((v) => (Array.isArray(v) ? v : [v]));

describe('every rule', () => {
  it('has a unique id, version 1, a class of WARNING_CLASSES; the six map to the four classes as §7.3 lists', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    const classes = Object.fromEntries(RULES.map((r) => [r.id, r.warningClass]));
    expect(classes).toEqual({
      SEVERE_DISABILITY_EDGE_NOT_ALONE: 'POLICY_NOT_IMPLEMENTED',
      TEKUN_WITHOUT_MEDICAL_SUBSIDY: 'POLICY_NOT_IMPLEMENTED',
      MEDICAL_EXPENSES_HALF_OF_INCOME: 'POSSIBLY_ELIGIBLE',
      RETURN_MONITORING_QUALIFIES: 'POSSIBLY_ELIGIBLE',
      MULTIPLE_HARDSHIPS: 'COMPLEX',
      DIBAO_WAGE_ABOVE_STANDARD: 'POSSIBLY_INELIGIBLE',
    } satisfies Record<string, WarningClass>);
    expect(new Set(Object.values(classes))).toEqual(new Set(WARNING_CLASSES));
    for (const r of RULES) expect(r.version).toBe(1);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s: fires on its subject, alone among the rules', (id, rule) => {
    expect(evaluate(FIRING[id], P).map((e) => e.rule)).toEqual([rule]);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s: without rows of its own datasets it is silent', (id, rule) => {
    const s = FIRING[id];
    const rest = Object.fromEntries(Object.entries(s.rows).filter(([d]) => !rule.datasets.includes(d as Dataset)));
    expect(rule.test({ ...s, rows: rest }, P)).toBeUndefined();
  });

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s: the finding holds numbers and codes only, each named by the zh and the en explanation',
    (id, rule) => {
      const f = rule.test(FIRING[id], P)!;
      for (const v of figures(f)) {
        if (typeof v === 'string') expect(v).toMatch(/^([A-Z][A-Z_]*|\d{4})$/);
        else expect(Number.isFinite(v)).toBe(true);
      }
      const { zh, en } = rule.explain(f);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(en).not.toMatch(/[\u4e00-\u9fff]/);
      // The categories covering the person (SEVERE_DISABILITY_EDGE_NOT_ALONE) are context, not a compared figure.
      const compared = Object.entries(f).filter(([k]) => k !== 'coveredBy');
      for (const [, v] of compared)
        for (const x of Array.isArray(v) ? v : [v]) {
          expect(zh).toContain(String(x));
          expect(en).toContain(String(x));
        }
    },
  );
});

describe('findings from real department rows carry no names, ID numbers or free text', () => {
  const first17 = '41072119560312123';
  const id = first17 + checkCharacter(first17);
  const name = '欧阳秀兰';
  const illness = `${name}尿毒症`;
  const TODAY = '2026-03-01';
  const raw: Partial<Record<Dataset, Record<string, unknown>>> = {
    MEDICAL_EXPENSES: { selfPaid12m: 9000, householdIncome12m: 12000 },
    RETURN_MONITORING: { riskType: 'EDGE_AT_RISK', perCapitaMonthlyIncome: 200 },
    SEVERE_DISABILITY: { disabilityGrade: 1 },
    SERIOUS_ILLNESS: { illness },
    REGISTERED_UNEMPLOYED: { registeredOn: '2025-11-02' },
    HARDSHIP_STUDENT: { schoolStage: 'SENIOR' },
    EMPLOYMENT_WAGE: { monthlyWage: 5000 },
  };
  const rows: Subject['rows'] = {};
  for (const [dataset, facts] of Object.entries(raw) as [Dataset, Record<string, unknown>][]) {
    const checked = validateMonitoringRow({ idNumber: id, name, regionCode: '410721100', facts }, dataset, TODAY);
    if (!checked.ok) throw new Error(`${dataset}: ${checked.reasons.join('; ')}`);
    rows[dataset] = { ...checked.row.facts, asOf: TODAY };
  }
  const found = (['DIBAO_EDGE', 'DIBAO', 'TEKUN', undefined] as const).flatMap((c) =>
    evaluate(subject({ coveredBy: c ? [c] : [], householdSize: 2, rows }), P),
  );

  it('the four coverings raise every rule', () => {
    expect(new Set(found.map((e) => e.rule.id))).toEqual(new Set(RULES.map((r) => r.id)));
  });

  it.each(['finding', 'zh', 'en'] as const)('%s: no name, ID number, birth date or illness text', (what) => {
    const text = found
      .map(({ rule, finding }) => (what === 'finding' ? JSON.stringify(finding) : rule.explain(finding)[what]))
      .join('\n');
    for (const secret of [id, first17, '19560312', name, illness, '2025-11-02']) expect(text).not.toContain(secret);
  });
});

describe('evaluate', () => {
  it('nothing for a subject with no rows, or rows that warn of nothing', () => {
    expect(evaluate(subject(), P)).toEqual([]);
    expect(
      evaluate(
        subject({
          coveredBy: ['DIBAO'],
          rows: { EMPLOYMENT_WAGE: row({ amount: 419.99 }), MEDICAL_EXPENSES: row({ amount: 1, income: 2 }) },
        }),
        P,
      ),
    ).toEqual([]);
  });

  it('every rule that fires, in RULES order, each with the finding its test gives', () => {
    const s = subject({
      coveredBy: ['DIBAO', 'TEKUN'],
      medicalSubsidyYears: ['2025'],
      rows: {
        EMPLOYMENT_WAGE: row({ amount: 840 }),
        MEDICAL_EXPENSES: row({ amount: 9000, income: 10000 }),
        SERIOUS_ILLNESS: row({ label: '白血病' }),
        SEVERE_DISABILITY: row({ grade: 2 }),
      },
      householdSize: 2,
    });
    expect(evaluate(s, P).map(({ rule, finding }) => [rule.id, rule.warningClass, finding])).toEqual([
      ['TEKUN_WITHOUT_MEDICAL_SUBSIDY', 'POLICY_NOT_IMPLEMENTED', { year: '2026' }],
      [
        'MULTIPLE_HARDSHIPS',
        'COMPLEX',
        { datasets: ['SERIOUS_ILLNESS', 'MEDICAL_EXPENSES', 'SEVERE_DISABILITY'], count: 3 },
      ],
      ['DIBAO_WAGE_ABOVE_STANDARD', 'POSSIBLY_INELIGIBLE', { monthlyWage: 840, householdSize: 2, dibaoStandard: 420 }],
    ]);
  });
});

describe('ruleById and explainWarning', () => {
  it('ruleById finds each rule by its id, nothing else', () => {
    for (const r of RULES) expect(ruleById(r.id)).toBe(r);
    expect(ruleById(VISIT_REPORT_RULE.id)).toBeUndefined();
    expect(ruleById('severe_disability_edge_not_alone')).toBeUndefined();
    expect(ruleById('')).toBeUndefined();
  });

  it("explains a stored comparison warning with its rule's text for the stored figures", () => {
    // Stored facts come back from the database as JSON: the figures as they were compared.
    const facts = JSON.parse(JSON.stringify({ monthlyWage: 1890, householdSize: 3, dibaoStandard: 630 })) as Finding;
    expect(explainWarning('DIBAO_WAGE_ABOVE_STANDARD', facts)).toEqual(DIBAO_WAGE_ABOVE_STANDARD.explain(facts));
    expect(explainWarning('MEDICAL_EXPENSES_HALF_OF_INCOME', { selfPaid12m: 7000, householdIncome12m: 9000 }).zh).toBe(
      '医保数据显示近12个月自付医疗费用7000元，达到家庭收入9000元的50%，未纳入救助。',
    );
  });

  it("explains a visit report (or an unknown rule) with the reporter's own words", () => {
    expect(explainWarning(VISIT_REPORT_RULE.id, { description: '户主突发脑梗，无人照料' })).toEqual({
      zh: '入户走访发现：户主突发脑梗，无人照料',
      en: 'Found on a home visit: 户主突发脑梗，无人照料',
    });
    expect(explainWarning(VISIT_REPORT_RULE.id, {})).toEqual({ zh: '入户走访发现：', en: 'Found on a home visit: ' });
    expect(explainWarning(VISIT_REPORT_RULE.id, { description: 42 })).toEqual({
      zh: '入户走访发现：',
      en: 'Found on a home visit: ',
    });
  });
});
