// Policy parameters (docs/policy.md §3, §5): every number the assessment uses, versioned by region and effective date
// so
// an admin can change them without a deploy and every decision can record the version it used.
//
// Pure: imported by Temporal workflow code.

import { z } from 'zod';
import { isoDate } from './schemas';
import { isIsoDate, type IsoDate } from './calendar';
import { CONFIRMING_LEVELS, type ConfirmingLevel } from './confirming-level';
import { COUNTY_REGION } from './glossary';
import { type Residence } from './household';
import { toFen, yuan } from './money';

export type { IsoDate };

export interface AssetLimits {
  /** Yuan of deposits allowed per household member (limit is inclusive). */
  depositsPerCapita: number;
  maxVehicles: number;
  /** Houses beyond the first. */
  maxExtraHousing: number;
  /** Yuan. */
  businessAssets: number;
}

export interface PolicyParameters {
  /** Yuan per person per month. */
  dibaoStandardUrban: number;
  dibaoStandardRural: number;
  /** TEKUN basic living standard = multiplier × dibao standard (policy floor 1.3). */
  tekunMultiplier: number;
  /** Yuan per person per month, by care level. */
  tekunCareStandard: { SELF_CARE: number; PARTIAL_CARE: number; FULL_CARE: number };
  /** DIBAO_EDGE income line = multiplier × dibao standard. */
  edgeMultiplier: number;
  /** Last year's per-capita disposable income, yuan per person per YEAR. */
  disposableIncomeLastYearUrban: number;
  disposableIncomeLastYearRural: number;
  /** RIGID_EXPENDITURE: medical + education spending must reach this share of household income. */
  rigidExpenditureRatio: number;
  assetLimits: AssetLimits;
  /** DIBAO_EDGE (and RIGID_EXPENDITURE) limits: at least as generous as assetLimits. */
  edgeAssetLimits: AssetLimits;
  /** Small-amount advance (小额快救) top tier, in months of the local dibao standard. */
  smallAdvanceCapMonths: number;
  /** Working days after an advance is paid within which the caseworker justifies it (事后补充说明, docs/policy.md §5). */
  justificationWorkingDays: number;
  /**
   * Who confirms (确认) an application (docs/policy.md §2.1): the township's reviewer (plan 一(二), 四(一)) or the county
   * bureau. Versions stored before the parameter existed read as TOWNSHIP (confirmingLevelOf).
   */
  confirmingLevel?: ConfirmingLevel;
  /**
   * Per-person cap on emergency advances over a rolling period (docs/policy.md §5.2): at most
   * `advancePeriodCapMonths` months of the local dibao standard within `advancePeriodDays` days. Defaults 1 and 30.
   */
  advancePeriodCapMonths?: number;
  advancePeriodDays?: number;
  /** Fixed medical insurance subsidy (定额资助) of DIBAO and returned-to-poverty persons, yuan a year (plan 三(二)1). */
  medicalSubsidyFixedAmount?: number;
  /** The residents' medical insurance individual contribution of the year, yuan: TEKUN's full subsidy. */
  medicalInsuranceContribution?: number;
}

// Kept in ./confirming-level.ts, which workflow code imports without this module's schemas.
export { CONFIRMING_LEVELS, CONFIRMING_ROLE, type ConfirmingLevel } from './confirming-level';
/** The confirming level of a version; the plan's default, the township, where it says nothing. */
export const confirmingLevelOf = (p: PolicyParameters): ConfirmingLevel => p.confirmingLevel ?? 'TOWNSHIP';

export interface PolicyVersion {
  id: string;
  /** 6-digit county, 9-digit township or 12-digit village code. */
  regionCode: string;
  effectiveFrom: IsoDate;
  parameters: PolicyParameters;
  /** Seeded sample values not yet confirmed by an admin: the UI/API must say so (docs/policy.md, Conventions). */
  sample: boolean;
}

// The assessment multiplies money by these factors in exact integer arithmetic at 1/10000 resolution.
const hasAtMost4Decimals = (n: number) => Math.abs(n * 10_000 - Math.round(n * 10_000)) < 1e-6;
const factor = () => z.number().finite().positive().refine(hasAtMost4Decimals, 'at most 4 decimals');

export const AssetLimitsSchema = z.object({
  depositsPerCapita: yuan(),
  maxVehicles: z.number().int().nonnegative(),
  maxExtraHousing: z.number().int().nonnegative(),
  businessAssets: yuan(),
});

const ASSET_LIMIT_KEYS = ['depositsPerCapita', 'maxVehicles', 'maxExtraHousing', 'businessAssets'] as const;

export const PolicyParametersSchema = z
  .object({
    dibaoStandardUrban: yuan().positive(),
    dibaoStandardRural: yuan().positive(),
    // docs/policy.md §3.2: "TEKUN basic living standard ≥ 1.3 × dibao standard".
    tekunMultiplier: factor().min(1.3),
    tekunCareStandard: z.object({ SELF_CARE: yuan(), PARTIAL_CARE: yuan(), FULL_CARE: yuan() }),
    edgeMultiplier: factor().min(1),
    disposableIncomeLastYearUrban: yuan().positive(),
    disposableIncomeLastYearRural: yuan().positive(),
    rigidExpenditureRatio: factor().max(1),
    assetLimits: AssetLimitsSchema,
    edgeAssetLimits: AssetLimitsSchema,
    // docs/policy.md §5.2: the top tier is at most one month of the local dibao standard (2026 national rule).
    smallAdvanceCapMonths: factor().max(1),
    justificationWorkingDays: z.number().int().min(1).max(30),
    confirmingLevel: z.enum(CONFIRMING_LEVELS).optional(),
    advancePeriodCapMonths: factor().max(6).optional(),
    advancePeriodDays: z.number().int().min(1).max(366).optional(),
    medicalSubsidyFixedAmount: yuan().optional(),
    medicalInsuranceContribution: yuan().optional(),
  })
  .superRefine((p, ctx) => {
    for (const k of ASSET_LIMIT_KEYS) {
      if (p.edgeAssetLimits[k] < p.assetLimits[k]) {
        ctx.addIssue({
          code: 'custom',
          path: ['edgeAssetLimits', k],
          message: `must be at least assetLimits.${k} (${p.assetLimits[k]})`,
        });
      }
    }
    const c = p.tekunCareStandard;
    if (!(c.SELF_CARE <= c.PARTIAL_CARE && c.PARTIAL_CARE <= c.FULL_CARE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tekunCareStandard'],
        message: 'expected SELF_CARE ≤ PARTIAL_CARE ≤ FULL_CARE',
      });
    }
  });

export const PolicyVersionSchema = z.object({
  id: z.string().min(1),
  regionCode: z.string().regex(/^(\d{6}|\d{9}|\d{12})$/, '6, 9 or 12 digits'),
  effectiveFrom: isoDate(),
  parameters: PolicyParametersSchema,
  sample: z.boolean(),
});

// Sample values (sample: true) until a Xinxiang admin confirms them. 2025 uses the Henan provincial floors
// (urban 630 / rural 420); 2024 is deliberately lower so assessments as of 2024 differ visibly. Care standards
// follow the common Henan practice of 10% / 30% / 60% of the local minimum wage.
export const SEED_POLICY_VERSIONS: PolicyVersion[] = [
  {
    id: '410721-2024-01',
    regionCode: COUNTY_REGION,
    effectiveFrom: '2024-01-01',
    sample: true,
    parameters: {
      dibaoStandardUrban: 600,
      dibaoStandardRural: 400,
      tekunMultiplier: 1.3,
      tekunCareStandard: { SELF_CARE: 160, PARTIAL_CARE: 480, FULL_CARE: 960 },
      edgeMultiplier: 1.5,
      disposableIncomeLastYearUrban: 37_000,
      disposableIncomeLastYearRural: 21_500,
      rigidExpenditureRatio: 0.5,
      assetLimits: { depositsPerCapita: 18_000, maxVehicles: 0, maxExtraHousing: 0, businessAssets: 20_000 },
      edgeAssetLimits: { depositsPerCapita: 36_000, maxVehicles: 1, maxExtraHousing: 1, businessAssets: 50_000 },
      smallAdvanceCapMonths: 1,
      justificationWorkingDays: 5,
      confirmingLevel: 'TOWNSHIP',
    },
  },
  {
    id: '410721-2025-01',
    regionCode: COUNTY_REGION,
    effectiveFrom: '2025-01-01',
    sample: true,
    parameters: {
      dibaoStandardUrban: 630,
      dibaoStandardRural: 420,
      tekunMultiplier: 1.3,
      tekunCareStandard: { SELF_CARE: 170, PARTIAL_CARE: 510, FULL_CARE: 1020 },
      edgeMultiplier: 1.5,
      disposableIncomeLastYearUrban: 38_500,
      disposableIncomeLastYearRural: 22_800,
      rigidExpenditureRatio: 0.5,
      assetLimits: { depositsPerCapita: 20_000, maxVehicles: 0, maxExtraHousing: 0, businessAssets: 20_000 },
      edgeAssetLimits: { depositsPerCapita: 40_000, maxVehicles: 1, maxExtraHousing: 1, businessAssets: 50_000 },
      smallAdvanceCapMonths: 1,
      justificationWorkingDays: 5,
      confirmingLevel: 'TOWNSHIP',
    },
  },
];

/** The region itself, then its parents: 12-digit village → 9-digit township → 6-digit county. */
function regionChain(regionCode: string): string[] {
  const chain = [regionCode];
  for (const len of [9, 6]) if (regionCode.length > len) chain.push(regionCode.slice(0, len));
  return chain;
}

/**
 * The version in force on `asOf` for `regionCode`: the latest effectiveFrom ≤ asOf, taken from the most specific
 * region (the region itself, else its township, else its county) that has any version in force by then.
 * A village whose own first version starts later than asOf therefore falls back to its parent.
 * Two versions of one region with the same effectiveFrom: the later in the list wins (it is read as a correction).
 */
export function policyInForce(versions: PolicyVersion[], regionCode: string, asOf: IsoDate): PolicyVersion | undefined {
  if (!isIsoDate(asOf))
    throw new RangeError(`asOf must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  for (const region of regionChain(regionCode)) {
    let best: PolicyVersion | undefined;
    for (const v of versions) {
      // ISO dates compare correctly as strings.
      if (v.regionCode === region && v.effectiveFrom <= asOf && (!best || v.effectiveFrom >= best.effectiveFrom))
        best = v;
    }
    if (best) return best;
  }
  return undefined;
}

export function dibaoStandard(p: PolicyParameters, residence: Residence): number {
  return residence === 'URBAN' ? p.dibaoStandardUrban : p.dibaoStandardRural;
}

/**
 * The most a small-amount advance may pay (docs/policy.md §5): smallAdvanceCapMonths × the local dibao standard, yuan.
 */
export function smallAdvanceCap(p: PolicyParameters, residence: Residence): number {
  const standardCents = toFen(dibaoStandard(p, residence));
  const monthsBp = Math.round(p.smallAdvanceCapMonths * 10_000);
  // Rounded down to the fen: the rule is a ceiling ("at most"), so a fractional month must never round above it.
  return Math.floor((standardCents * monthsBp) / 10_000) / 100;
}
