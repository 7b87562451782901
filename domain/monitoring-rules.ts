// The comparison rules (数据比对规则, docs/policy.md §7.2, §7.3): each a pure, versioned function of one person's
// situation in the population database and their latest department rows, with the explanation of why it fired. The
// comparison (data/monitoring.ts) gathers each person's subject with set-based SQL and lets these functions decide;
// test/e2e/monitoring.test.ts raises each class through them.
// Pure: no I/O, no clock.
import type { AssistanceCategory } from './glossary';
import { fenToYuan, toFen } from './money';
import { HARDSHIP_DATASETS, type Dataset, type StoredFacts, type WarningClass } from './monitoring';

export interface RuleParameters {
  dibaoStandardUrban: number;
  dibaoStandardRural: number;
  edgeMultiplier: number;
}

/** One person as the comparison sees them. */
export interface Subject {
  /** Categories of the active recipients that cover the person (none: not covered). */
  coveredBy: readonly AssistanceCategory[];
  residence: 'URBAN' | 'RURAL';
  /** Current members of the person's household (1 when the database knows no household). */
  householdSize: number;
  /** Years (YYYY) for which a MEDICAL_SUBSIDY is in the person's assistance chain. */
  medicalSubsidyYears: readonly string[];
  /** The person's row of each dataset's latest snapshot, with that snapshot's as-of date. */
  rows: Partial<Record<Dataset, StoredFacts & { asOf: string }>>;
}

/** Why a rule fired: the figures it compared (numbers and codes only, never names or ID numbers). */
export type Finding = Record<string, number | string | string[]>;

export interface Rule {
  id: string;
  version: number;
  warningClass: WarningClass;
  /** The datasets whose rows can make it fire. */
  datasets: readonly Dataset[];
  test(s: Subject, p: RuleParameters): Finding | undefined;
  explain(f: Finding): { zh: string; en: string };
}

export const dibaoStandardOf = (p: RuleParameters, residence: 'URBAN' | 'RURAL') =>
  residence === 'URBAN' ? p.dibaoStandardUrban : p.dibaoStandardRural;

/** Rigid-expenditure threshold: medical spending of at least half the household income (docs/policy.md §3.4). */
export const MEDICAL_EXPENSE_SHARE = 0.5;
/** Hardships at once that make a case complex. **Choice** (docs/policy.md §7.3): three different departments' data. */
export const COMPLEX_HARDSHIP_COUNT = 3;

const covered = (s: Subject) => s.coveredBy.length > 0;
const yuan = (n: number) => Math.round(n * 100) / 100;
/** Factors (the edge multiplier) in 1/10000, money in whole fen: compared exactly, as the assessment does (§3.6). */
const BP = 10_000;
const toBp = (factor: number) => Math.round(factor * BP);

/** 低保边缘家庭中的重度残疾人未单独纳入低保 (docs/policy.md §3.3; plan 三(一)). */
export const SEVERE_DISABILITY_EDGE_NOT_ALONE: Rule = {
  id: 'SEVERE_DISABILITY_EDGE_NOT_ALONE',
  version: 1,
  warningClass: 'POLICY_NOT_IMPLEMENTED',
  datasets: ['SEVERE_DISABILITY'],
  test(s) {
    const row = s.rows.SEVERE_DISABILITY;
    if (!row || row.grade === null || row.grade > 2) return undefined;
    if (!s.coveredBy.includes('DIBAO_EDGE')) return undefined;
    if (s.coveredBy.includes('DIBAO') || s.coveredBy.includes('TEKUN')) return undefined;
    return { disabilityGrade: row.grade, coveredBy: [...s.coveredBy] };
  },
  explain: (f) => ({
    zh: `残联数据显示为${f.disabilityGrade}级重度残疾人，所在家庭为低保边缘家庭，本人未按单人户纳入低保。`,
    en: `Severely disabled (grade ${f.disabilityGrade}) in a DIBAO_EDGE household, not covered alone as DIBAO.`,
  }),
};

/** 特困人员未获参保资助 (plan 三(二)1): the medical insurance knows the person, the chain shows no subsidy. */
export const TEKUN_WITHOUT_MEDICAL_SUBSIDY: Rule = {
  id: 'TEKUN_WITHOUT_MEDICAL_SUBSIDY',
  version: 1,
  warningClass: 'POLICY_NOT_IMPLEMENTED',
  datasets: ['MEDICAL_EXPENSES'],
  test(s) {
    const row = s.rows.MEDICAL_EXPENSES;
    if (!row || !s.coveredBy.includes('TEKUN')) return undefined;
    const year = row.asOf.slice(0, 4);
    if (s.medicalSubsidyYears.includes(year)) return undefined;
    return { year };
  },
  explain: (f) => ({
    zh: `特困人员在${f.year}年的救助链中无参保资助记录。`,
    en: `TEKUN person without a medical insurance subsidy (MEDICAL_SUBSIDY) in the assistance chain for ${f.year}.`,
  }),
};

/** 医疗费用支出占家庭收入50%以上且未纳入救助 (docs/policy.md §3.4, §7.3). */
export const MEDICAL_EXPENSES_HALF_OF_INCOME: Rule = {
  id: 'MEDICAL_EXPENSES_HALF_OF_INCOME',
  version: 1,
  warningClass: 'POSSIBLY_ELIGIBLE',
  datasets: ['MEDICAL_EXPENSES'],
  test(s) {
    const row = s.rows.MEDICAL_EXPENSES;
    if (!row || row.amount === null || row.income === null || covered(s)) return undefined;
    // Nothing spent never passes, even against zero income (docs/policy.md §3.4; the assessment's rigid.expenditure).
    const paid = toFen(row.amount);
    if (paid <= 0 || paid < MEDICAL_EXPENSE_SHARE * toFen(row.income)) return undefined;
    return { selfPaid12m: yuan(row.amount), householdIncome12m: yuan(row.income) };
  },
  explain: (f) => ({
    zh: `医保数据显示近12个月自付医疗费用${f.selfPaid12m}元，达到家庭收入${f.householdIncome12m}元的50%，未纳入救助。`,
    en:
      `Out-of-pocket medical expenses of ${f.selfPaid12m} yuan in 12 months are at least half the household ` +
      `income of ${f.householdIncome12m} yuan; not covered.`,
  }),
};

/** 防止返贫监测对象收入低于低保边缘标准且未纳入 (docs/policy.md §3.5). */
export const RETURN_MONITORING_QUALIFIES: Rule = {
  id: 'RETURN_MONITORING_QUALIFIES',
  version: 1,
  warningClass: 'POSSIBLY_ELIGIBLE',
  datasets: ['RETURN_MONITORING'],
  test(s, p) {
    const row = s.rows.RETURN_MONITORING;
    if (!row || row.amount === null || covered(s)) return undefined;
    // Strictly below the exact line (a multiplier of 4 decimals can put it between two fen), as the assessment's
    // edge.income; the line shown is rounded to the fen.
    const standardFen = toFen(dibaoStandardOf(p, s.residence));
    const edgeBp = toBp(p.edgeMultiplier);
    if (toFen(row.amount) * BP >= standardFen * edgeBp) return undefined;
    return {
      riskType: row.label ?? '',
      perCapitaMonthlyIncome: yuan(row.amount),
      edgeLine: fenToYuan((standardFen * edgeBp) / BP),
    };
  },
  explain: (f) => ({
    zh: `防止返贫监测对象（${f.riskType}）人均月收入${f.perCapitaMonthlyIncome}元，低于低保边缘标准${f.edgeLine}元，未纳入救助。`,
    en:
      `Poverty-return monitoring object (${f.riskType}) with a per-capita income of ${f.perCapitaMonthlyIncome} ` +
      `yuan a month, below the DIBAO_EDGE line of ${f.edgeLine}; not covered.`,
  }),
};

/** 多重困难叠加 (docs/policy.md §7.3): several departments each report a hardship of the person. */
export const MULTIPLE_HARDSHIPS: Rule = {
  id: 'MULTIPLE_HARDSHIPS',
  version: 1,
  warningClass: 'COMPLEX',
  datasets: HARDSHIP_DATASETS,
  test(s) {
    // Counted before any array is built: evaluate asks this of every person compared, and few have three.
    let count = 0;
    for (const d of HARDSHIP_DATASETS) if (s.rows[d]) count++;
    if (count < COMPLEX_HARDSHIP_COUNT) return undefined;
    const found = HARDSHIP_DATASETS.filter((d) => s.rows[d]);
    return { datasets: found, count: found.length };
  },
  explain: (f) => ({
    zh: `${f.count}个部门的数据同时显示困难情形（${(f.datasets as string[]).join('、')}），情形复杂。`,
    en: `${f.count} departments' data show hardships at once (${(f.datasets as string[]).join(', ')}).`,
  }),
};

/**
 * 低保家庭成员新就业且工资超过标准 (docs/policy.md §4.2): the wage alone, shared over the household, reaches the
 * dibao standard — the household's per-capita income can no longer be below it (DIBAO needs it below, §3.1).
 */
export const DIBAO_WAGE_ABOVE_STANDARD: Rule = {
  id: 'DIBAO_WAGE_ABOVE_STANDARD',
  version: 1,
  warningClass: 'POSSIBLY_INELIGIBLE',
  datasets: ['EMPLOYMENT_WAGE'],
  test(s, p) {
    const row = s.rows.EMPLOYMENT_WAGE;
    if (!row || row.amount === null || !s.coveredBy.includes('DIBAO')) return undefined;
    const size = Math.max(1, s.householdSize);
    const standard = dibaoStandardOf(p, s.residence);
    // In whole fen: 630.1 × 3 is 1890.3000000000002 in floating point, which a wage of exactly 1890.30 would not reach.
    if (toFen(row.amount) < toFen(standard) * size) return undefined;
    return { monthlyWage: yuan(row.amount), householdSize: size, dibaoStandard: standard };
  },
  explain: (f) => ({
    zh: `低保家庭成员登记就业，月工资${f.monthlyWage}元，按家庭${f.householdSize}人计人均不低于低保标准${f.dibaoStandard}元。`,
    en:
      `A DIBAO household member is employed at ${f.monthlyWage} yuan a month: over ${f.householdSize} members ` +
      `that alone is no less than the dibao standard of ${f.dibaoStandard}.`,
  }),
};

export const RULES: readonly Rule[] = [
  SEVERE_DISABILITY_EDGE_NOT_ALONE,
  TEKUN_WITHOUT_MEDICAL_SUBSIDY,
  MEDICAL_EXPENSES_HALF_OF_INCOME,
  RETURN_MONITORING_QUALIFIES,
  MULTIPLE_HARDSHIPS,
  DIBAO_WAGE_ABOVE_STANDARD,
];

/** A hardship a village assistant found on a visit (铁脚板摸排, plan 二(三)): the class is the reporter's call. */
export const VISIT_REPORT_RULE = { id: 'VISIT_REPORT', version: 1 } as const;

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** The explanation of a stored warning: the rule's text for its figures, or the reporter's own words. */
export function explainWarning(ruleId: string, facts: Finding): { zh: string; en: string } {
  const rule = ruleById(ruleId);
  if (rule) return rule.explain(facts);
  const d = typeof facts.description === 'string' ? facts.description : '';
  return { zh: `入户走访发现：${d}`, en: `Found on a home visit: ${d}` };
}

/** Every rule's finding for one subject (what the SQL raises for them). */
export function evaluate(s: Subject, p: RuleParameters): { rule: Rule; finding: Finding }[] {
  // A plain loop: the comparison calls this for every person of the snapshots (500,000 in bench/monitoring.ts), and
  // almost none has a finding.
  const found: { rule: Rule; finding: Finding }[] = [];
  for (const rule of RULES) {
    const finding = rule.test(s, p);
    if (finding) found.push({ rule, finding });
  }
  return found;
}
