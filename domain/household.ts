// The household economic model that eligibility is assessed on (docs/policy.md §3, plan 一(一)).
//
// Plain JSON so it can be a workflow argument, an activity result and an API body unchanged. Pure: imported by
// Temporal workflow code, so no Node built-ins and no clock reads here.

import { z } from 'zod';
import { isoDate, token } from './schemas';
import { RETURN_RISK_TYPES } from './glossary';
import { yuan } from './money';

export const RESIDENCES = ['URBAN', 'RURAL'] as const;
export type Residence = (typeof RESIDENCES)[number];

export const MEMBER_RELATIONS = [
  'APPLICANT',
  'SPOUSE',
  'CHILD',
  'PARENT',
  'SIBLING',
  'GRANDCHILD',
  'GRANDPARENT',
  'OTHER',
] as const;
export const LABOR_CAPACITIES = ['FULL', 'PARTIAL', 'NONE'] as const;
export const DISABILITY_CATEGORIES = [
  'PHYSICAL',
  'VISUAL',
  'HEARING',
  'SPEECH',
  'INTELLECTUAL',
  'MENTAL',
  'MULTIPLE',
] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];
export const STUDENT_LEVELS = ['NONE', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE', 'POSTGRADUATE'] as const;
export type StudentLevel = (typeof STUDENT_LEVELS)[number];
export const INCOME_KINDS = ['WAGES', 'OPERATING', 'PROPERTY', 'TRANSFER'] as const;
export const PAYER_RELATIONS = ['SIBLING', 'OTHER'] as const;

/** The six activities of daily living the TEKUN care level is graded on. */
export const DAILY_ACTIVITIES = [
  'eating',
  'dressing',
  'transferring',
  'toileting',
  'walkingIndoors',
  'bathing',
] as const;
export type DailyActivity = (typeof DAILY_ACTIVITIES)[number];

export const DisabilitySchema = z.object({
  category: z.enum(DISABILITY_CATEGORIES),
  grade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
});
export type Disability = z.infer<typeof DisabilitySchema>;

export const DailyActivitiesSchema = z.object({
  eating: z.boolean(),
  dressing: z.boolean(),
  transferring: z.boolean(),
  toileting: z.boolean(),
  walkingIndoors: z.boolean(),
  bathing: z.boolean(),
});
export type DailyActivities = z.infer<typeof DailyActivitiesSchema>;

export const MemberSchema = z.object({
  memberId: token(50),
  relation: z.enum(MEMBER_RELATIONS),
  birthDate: isoDate(),
  laborCapacity: z.enum(LABOR_CAPACITIES),
  disability: DisabilitySchema.optional(),
  seriousIllness: z.boolean(),
  studentLevel: z.enum(STUDENT_LEVELS),
  employed: z.boolean(),
  /** true = able to do the activity unaided. Absent when not yet surveyed. */
  dailyActivities: DailyActivitiesSchema.optional(),
});
export type Member = z.infer<typeof MemberSchema>;

export const IncomeSchema = z.object({
  memberId: token(50),
  kind: z.enum(INCOME_KINDS),
  monthlyAmount: yuan(),
  /** Who pays a support payment, so the sibling / aged-60+ exemption can be applied. */
  payer: z
    .object({
      relation: z.enum(PAYER_RELATIONS),
      payerAge: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type Income = z.infer<typeof IncomeSchema>;

export const AssetsSchema = z.object({
  deposits: yuan(),
  vehicles: z.number().int().nonnegative(),
  vehicleValue: yuan(),
  /** Houses beyond the first. */
  extraHousing: z.number().int().nonnegative(),
  businessAssets: yuan(),
});
export type Assets = z.infer<typeof AssetsSchema>;

export const RigidExpenditureSchema = z.object({
  medical: yuan(),
  education: yuan(),
  rehabilitation: yuan(),
});
export type RigidExpenditure = z.infer<typeof RigidExpenditureSchema>;

export const LegalSupporterSchema = z.object({
  supporterId: token(50),
  isTekun: z.boolean(),
  isDibaoRecipient: z.boolean(),
  age: z.number().int().nonnegative(),
  annualIncome: yuan(),
  severeDisability: z.boolean(),
});
export type LegalSupporter = z.infer<typeof LegalSupporterSchema>;

export const HouseholdSchema = z
  .object({
    residence: z.enum(RESIDENCES),
    members: z.array(MemberSchema).min(1),
    incomes: z.array(IncomeSchema),
    assets: AssetsSchema,
    /** Spending over the 12 months before the application, yuan. */
    rigidExpenditure12m: RigidExpenditureSchema,
    legalSupporters: z.array(LegalSupporterSchema),
    returnRiskType: z.enum(RETURN_RISK_TYPES).optional(),
  })
  .superRefine((h, ctx) => {
    const ids = new Set<string>();
    h.members.forEach((m, i) => {
      if (ids.has(m.memberId))
        ctx.addIssue({ code: 'custom', path: ['members', i, 'memberId'], message: `duplicate memberId ${m.memberId}` });
      ids.add(m.memberId);
    });
    // Per-capita income, 单人保 and the exemptions all hang off "whose income is this", so an income must name a member.
    h.incomes.forEach((inc, i) => {
      if (!ids.has(inc.memberId))
        ctx.addIssue({ code: 'custom', path: ['incomes', i, 'memberId'], message: `no member ${inc.memberId}` });
      if (inc.payer && inc.kind !== 'TRANSFER') {
        ctx.addIssue({
          code: 'custom',
          path: ['incomes', i, 'payer'],
          message: 'a payer is only meaningful on a TRANSFER (support payment)',
        });
      }
    });
    const applicants = h.members.filter((m) => m.relation === 'APPLICANT').length;
    if (applicants !== 1)
      ctx.addIssue({ code: 'custom', path: ['members'], message: `exactly one APPLICANT expected, got ${applicants}` });
    const supporterIds = new Set<string>();
    h.legalSupporters.forEach((s, i) => {
      if (supporterIds.has(s.supporterId))
        ctx.addIssue({
          code: 'custom',
          path: ['legalSupporters', i, 'supporterId'],
          message: `duplicate supporterId ${s.supporterId}`,
        });
      supporterIds.add(s.supporterId);
    });
  });
export type Household = z.infer<typeof HouseholdSchema>;

// Kept in ./members.ts, which workflow code imports without this module's schemas.
export { membersBornAfter } from './members';
