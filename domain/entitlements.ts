// What the plan entitles a low-income person or household to, beyond the civil-affairs payments (plan 三(二);
// docs/policy.md §7.5). Pure functions, used by the omission report (data/assistance-reports.ts) and by anyone who
// needs the figure. Money in fen internally (domain/money.ts), yuan at the edges.
import type { AssistanceCategory } from './glossary';
import type { Residence, StudentLevel } from './household';
import { fenToYuan, toFen } from './money';

// ——— Medical insurance subsidy (参保资助, plan 三(二)1) ———

export interface MedicalSubsidyInput {
  category: AssistanceCategory | null;
  /** 返贫致贫人口: a person who returned to (or fell into) poverty, as agriculture's monitoring data says. */
  returnedToPoverty?: boolean;
  /** The individual contribution of the residents' basic medical insurance for the year, yuan. */
  contribution: number;
  /** The fixed subsidy (定额资助), yuan: policy parameter `medicalSubsidyFixedAmount`. */
  fixedAmount: number;
}

export type MedicalSubsidy = { kind: 'FULL' | 'FIXED'; amount: number } | { kind: 'NONE'; amount: 0 };

/**
 * TEKUN: the whole contribution (全额资助). DIBAO and returned-to-poverty persons: the fixed amount, never more than
 * the contribution itself (定额资助). Everyone else: none from this rule. **Choice** (docs/policy.md §7.5): the plan's
 * "其他符合资助条件的低收入人口" are left to the county's yearly notice, so the rule names only the categories it lists.
 */
export function medicalInsuranceSubsidy(p: MedicalSubsidyInput): MedicalSubsidy {
  const contribution = toFen(p.contribution);
  if (p.category === 'TEKUN') return { kind: 'FULL', amount: fenToYuan(contribution) };
  if (p.category === 'DIBAO' || p.returnedToPoverty)
    return { kind: 'FIXED', amount: fenToYuan(Math.min(toFen(p.fixedAmount), contribution)) };
  return { kind: 'NONE', amount: 0 };
}

// ——— Public-rental rent reduction (租金减免, plan 三(二)3) ———

export const RENT_AREA_PER_PERSON_M2 = 20;
export const RENT_AREA_PER_HOUSEHOLD_M2 = 60;

export interface RentInput {
  residence: Residence;
  category: AssistanceCategory | null;
  householdSize: number;
  /** Floor area of the public-rental flat, m². */
  actualArea: number;
  /** The normal public-rental rent, yuan per m² per month. */
  rentPerM2: number;
}

export interface RentReduction {
  /** 0.9 (urban DIBAO), 0.8 (urban low-income), 0 when no reduction applies. */
  rate: number;
  /** m² the reduction is computed on: 20 per person, at most 60, the actual area when smaller. */
  reducedArea: number;
  normalRent: number;
  reduction: number;
  /** What the household pays: the reduced area at (1 − rate), the rest at the normal rent. */
  payable: number;
}

/**
 * Urban DIBAO households 90 %, urban low-income households 80 % (plan 三(二)3). **Choice** (docs/policy.md §7.5):
 * urban TEKUN are counted with DIBAO (90 %: they are below the dibao line by definition); DIBAO_EDGE,
 * RIGID_EXPENDITURE and OTHER_HARDSHIP are the "城市低收入家庭" (80 %); rural households rent no public housing here.
 */
export function rentReductionRate(residence: Residence, category: AssistanceCategory | null): number {
  if (residence !== 'URBAN' || !category) return 0;
  return category === 'DIBAO' || category === 'TEKUN' ? 0.9 : 0.8;
}

export function rentReduction(p: RentInput): RentReduction {
  if (!(p.householdSize >= 1) || !(p.actualArea >= 0) || !(p.rentPerM2 >= 0))
    throw new RangeError('householdSize ≥ 1, actualArea ≥ 0 and rentPerM2 ≥ 0 expected');
  const rate = rentReductionRate(p.residence, p.category);
  const cap = Math.min(RENT_AREA_PER_PERSON_M2 * p.householdSize, RENT_AREA_PER_HOUSEHOLD_M2);
  const reducedArea = rate ? Math.min(cap, p.actualArea) : 0;
  // Fen per m² × area in hundredths of m², so 37.5 m² at 8.4 yuan is exact.
  const rentFen = toFen(p.rentPerM2);
  const areaCenti = (a: number) => Math.round(a * 100);
  const normalFen = Math.round((rentFen * areaCenti(p.actualArea)) / 100);
  const reductionFen = Math.round((rentFen * areaCenti(reducedArea) * Math.round(rate * 100)) / 10_000);
  return {
    rate,
    reducedArea,
    normalRent: fenToYuan(normalFen),
    reduction: fenToYuan(reductionFen),
    payable: fenToYuan(normalFen - reductionFen),
  };
}

// ——— Education aid by stage (教育救助, plan 三(二)2) ———

export const EDUCATION_STAGES = ['PRESCHOOL', 'COMPULSORY', 'SENIOR_HIGH', 'VOCATIONAL', 'HIGHER'] as const;
export type EducationStage = (typeof EDUCATION_STAGES)[number];

/** Who a benefit is for: every pupil of the stage, hardship families, former registered-poor families, … */
export type Beneficiary =
  | 'ALL'
  | 'HARDSHIP' // 家庭困难 / 困难儿童: every low-income category
  | 'FORMERLY_POOR' // 脱贫家庭（原建档立卡）
  | 'DISABLED_HARDSHIP' // 残疾贫困 / 家庭经济困难残疾
  | 'RURAL_DIBAO' // 农村低保家庭
  | 'RURAL_TEKUN' // 农村特困救助供养
  | 'FIRST_YEAR_HARDSHIP'; // 家庭困难大学新生

export interface EducationBenefit {
  code: string;
  label: string;
  for: readonly Beneficiary[];
}

/** The plan's table, stage by stage (三(二)2). Merit scholarships (国家奖学金) are not assistance and are left out. */
export const EDUCATION_AID_TABLE: Record<EducationStage, readonly EducationBenefit[]> = {
  PRESCHOOL: [
    { code: 'CARE_AND_LIVING_ALLOWANCE', label: '保教费和生活费补助', for: ['FORMERLY_POOR'] },
    { code: 'LIVING_ALLOWANCE', label: '生活费补助', for: ['HARDSHIP'] },
  ],
  COMPULSORY: [
    { code: 'FEE_AND_TEXTBOOK_WAIVER', label: '免学杂费、免教科书费', for: ['ALL'] },
    { code: 'LIVING_ALLOWANCE', label: '生活补助费', for: ['HARDSHIP'] },
    { code: 'NUTRITION', label: '省定营养改善计划补助', for: ['FORMERLY_POOR', 'DISABLED_HARDSHIP'] },
  ],
  SENIOR_HIGH: [
    { code: 'NATIONAL_GRANT', label: '国家助学金', for: ['HARDSHIP'] },
    {
      code: 'TUITION_AND_BOARDING_WAIVER',
      label: '免学费和住宿费',
      for: ['FORMERLY_POOR', 'RURAL_DIBAO', 'RURAL_TEKUN', 'DISABLED_HARDSHIP'],
    },
  ],
  VOCATIONAL: [
    { code: 'TUITION_WAIVER', label: '免学费', for: ['ALL'] },
    { code: 'NATIONAL_GRANT', label: '国家助学金', for: ['HARDSHIP'] },
  ],
  HIGHER: [
    { code: 'STUDENT_LOAN', label: '生源地助学贷款（可申请）', for: ['ALL'] },
    { code: 'ZIHUI_GRANT', label: '滋蕙计划补助', for: ['FIRST_YEAR_HARDSHIP'] },
  ],
};

/**
 * The stage of a household model's `studentLevel` (domain/household.ts) at an age. **Choice** (docs/policy.md
 * §7.5): SECONDARY below 15 is junior secondary (compulsory), from 15 senior high; POSTGRADUATE counts as higher.
 */
export function educationStage(level: StudentLevel, age: number): EducationStage | null {
  switch (level) {
    case 'NONE':
      return age < 6 && age >= 3 ? 'PRESCHOOL' : null;
    case 'PRIMARY':
      return 'COMPULSORY';
    case 'SECONDARY':
      return age < 15 ? 'COMPULSORY' : 'SENIOR_HIGH';
    case 'VOCATIONAL':
      return 'VOCATIONAL';
    case 'UNDERGRADUATE':
    case 'POSTGRADUATE':
      return 'HIGHER';
  }
}

export interface StudentFacts {
  stage: EducationStage;
  category: AssistanceCategory | null;
  residence: Residence;
  formerlyPoor?: boolean;
  disabled?: boolean;
  firstYear?: boolean;
}

/** The benefits of the table this student is entitled to; `targeted` only: those for hardship, not for everyone. */
export function educationEntitlements(s: StudentFacts, opts: { targeted?: boolean } = {}): EducationBenefit[] {
  const hardship = s.category != null;
  const holds: Record<Beneficiary, boolean> = {
    ALL: true,
    HARDSHIP: hardship,
    FORMERLY_POOR: !!s.formerlyPoor,
    DISABLED_HARDSHIP: hardship && !!s.disabled,
    RURAL_DIBAO: s.residence === 'RURAL' && s.category === 'DIBAO',
    RURAL_TEKUN: s.residence === 'RURAL' && s.category === 'TEKUN',
    FIRST_YEAR_HARDSHIP: hardship && !!s.firstYear,
  };
  return EDUCATION_AID_TABLE[s.stage].filter(
    (b) => b.for.some((who) => holds[who]) && !(opts.targeted && b.for.length === 1 && b.for[0] === 'ALL'),
  );
}

// ——— Defaults ———

/**
 * Used while the policy version in force has no figures of its own (sample values, docs/policy.md §7.5): the 2026
 * individual contribution of the residents' medical insurance and a fixed subsidy a county commonly pays.
 */
export const DEFAULT_MEDICAL_FIGURES = { contribution: 400, fixedAmount: 280 } as const;
