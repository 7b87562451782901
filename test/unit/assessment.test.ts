import { assessHousehold, type Assessment } from '../../domain/assessment';
import {
  HouseholdSchema,
  type Household,
  type Member,
  type LegalSupporter,
  type DailyActivities,
} from '../../domain/household';
import { SEED_POLICY_VERSIONS, policyInForce, type PolicyVersion } from '../../domain/policy';
import { type ReturnRiskType } from '../../domain/glossary';

// Seeded 2025 sample values the expectations below are derived from: rural 420 / urban 630, edge 1.5×
// (630 / 945), disposable income rural 22,800 / urban 38,500 a year, TEKUN 1.3× + care 170 / 510 / 1020,
// DIBAO asset limits 20,000 per capita / 0 vehicles / 0 extra houses / 20,000 business, edge 40,000 / 1 / 1 / 50,000.
const P2025 = SEED_POLICY_VERSIONS.find((v) => v.id === '410721-2025-01')!;
const P2024 = SEED_POLICY_VERSIONS.find((v) => v.id === '410721-2024-01')!;
const AS_OF = '2025-06-30';

let seq = 0;
function member(over: Partial<Member> = {}): Member {
  return {
    memberId: over.memberId ?? `m${++seq}`,
    relation: 'OTHER',
    birthDate: '1985-03-10', // 40 on AS_OF
    laborCapacity: 'FULL',
    seriousIllness: false,
    studentLevel: 'NONE',
    employed: true,
    ...over,
  };
}

function household(over: Partial<Household> = {}): Household {
  const members = over.members ?? [member({ memberId: 'a', relation: 'APPLICANT' })];
  return {
    residence: 'RURAL',
    members,
    incomes: [],
    assets: { deposits: 0, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
    rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0 },
    legalSupporters: [],
    ...over,
  };
}

/**
 * A household of `size` able working-age adults whose total counted monthly income is `total`, all on the applicant.
 */
function withIncome(total: number, size = 1, over: Partial<Household> = {}): Household {
  const members = [member({ memberId: 'a', relation: 'APPLICANT' })];
  for (let i = 1; i < size; i++) members.push(member({ memberId: `s${i}`, relation: 'SPOUSE' }));
  return household({
    members,
    incomes: total > 0 ? [{ memberId: 'a', kind: 'WAGES', monthlyAmount: total }] : [],
    ...over,
  });
}

const assess = (h: Household, asOf = AS_OF, policy: PolicyVersion = P2025): Assessment => {
  HouseholdSchema.parse(h); // every fixture must be a valid payload
  return assessHousehold(h, asOf, policy);
};
const crit = (a: Assessment, id: string) => {
  const c = a.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}; have ${a.criteria.map((x) => x.id).join(', ')}`);
  return c;
};

function elder(over: Partial<Member> = {}): Member {
  return member({
    memberId: 'e',
    relation: 'APPLICANT',
    birthDate: '1950-01-01',
    laborCapacity: 'NONE',
    employed: false,
    ...over,
  });
}
function supporter(over: Partial<LegalSupporter> = {}): LegalSupporter {
  return {
    supporterId: 'sup',
    isTekun: false,
    isDibaoRecipient: false,
    age: 45,
    annualIncome: 50_000,
    severeDisability: false,
    ...over,
  };
}
function activities(unable: number): DailyActivities {
  const keys = ['eating', 'dressing', 'transferring', 'toileting', 'walkingIndoors', 'bathing'] as const;
  return Object.fromEntries(keys.map((k, i) => [k, i >= unable])) as unknown as DailyActivities;
}

describe('DIBAO income threshold (strictly below the standard)', () => {
  test.each([
    { residence: 'RURAL', total: 419.99, size: 1, category: 'DIBAO', amount: 0.01 },
    { residence: 'RURAL', total: 420, size: 1, category: 'DIBAO_EDGE', amount: 0 },
    { residence: 'RURAL', total: 420.01, size: 1, category: 'DIBAO_EDGE', amount: 0 },
    { residence: 'URBAN', total: 629.99, size: 1, category: 'DIBAO', amount: 0.01 },
    { residence: 'URBAN', total: 630, size: 1, category: 'DIBAO_EDGE', amount: 0 },
    { residence: 'URBAN', total: 630.01, size: 1, category: 'DIBAO_EDGE', amount: 0 },
    { residence: 'RURAL', total: 1259.99, size: 3, category: 'DIBAO', amount: 0.01 },
    { residence: 'RURAL', total: 1260, size: 3, category: 'DIBAO_EDGE', amount: 0 },
  ] as const)(
    '$residence, $size member(s), total $total → $category $amount',
    ({ residence, total, size, category, amount }) => {
      const a = assess(withIncome(total, size, { residence }));
      expect(a.category).toBe(category);
      expect(a.monthlyAmount).toBe(amount);
      const c = crit(a, 'dibao.income');
      expect(c.parameter).toBe(residence === 'RURAL' ? 'dibaoStandardRural' : 'dibaoStandardUrban');
      expect(c.values.dibaoStandard).toBe(residence === 'RURAL' ? 420 : 630);
    },
  );

  test('per-capita income is reported rounded; the comparison uses the exact value', () => {
    const a = assess(withIncome(1259.99, 3));
    expect(a.perCapitaMonthlyIncome).toBe(420); // 419.9966… shown as 420.00
    expect(crit(a, 'dibao.income').passed).toBe(true);
  });
});

describe('DIBAO_EDGE income threshold (1.5 × standard)', () => {
  test.each([
    { residence: 'RURAL', total: 629.99, category: 'DIBAO_EDGE' },
    { residence: 'RURAL', total: 630, category: null },
    { residence: 'RURAL', total: 630.01, category: null },
    { residence: 'URBAN', total: 944.99, category: 'DIBAO_EDGE' },
    { residence: 'URBAN', total: 945, category: null },
    { residence: 'URBAN', total: 945.01, category: null },
  ] as const)('$residence total $total → $category', ({ residence, total, category }) => {
    const a = assess(withIncome(total, 1, { residence }));
    expect(a.category).toBe(category);
    expect(a.monthlyAmount).toBe(0);
    const c = crit(a, 'edge.income');
    expect(c.parameter).toBe('edgeMultiplier');
    expect(c.values.edgeLine).toBe(residence === 'RURAL' ? 630 : 945);
    if (category) {
      expect(a.coverage).toBe('HOUSEHOLD');
      expect(a.coveredMemberIds).toEqual(['a']);
    } else {
      expect(a.coverage).toBe('NONE');
      expect(a.coveredMemberIds).toEqual([]);
    }
  });
});

describe('RIGID_EXPENDITURE', () => {
  const spend = (medical: number, education = 0, rehabilitation = 0) => ({
    rigidExpenditure12m: { medical, education, rehabilitation },
  });

  test.each([
    { residence: 'RURAL', total: 1899.99, category: 'RIGID_EXPENDITURE' },
    { residence: 'RURAL', total: 1900, category: null },
    { residence: 'RURAL', total: 1900.01, category: null },
    { residence: 'URBAN', total: 3208.33, category: 'RIGID_EXPENDITURE' },
    { residence: 'URBAN', total: 3208.34, category: null },
  ] as const)(
    "income vs last year's disposable income: $residence $total → $category",
    ({ residence, total, category }) => {
      const a = assess(withIncome(total, 1, { residence, ...spend(30_000) }));
      expect(a.category).toBe(category);
      const c = crit(a, 'rigid.income');
      expect(c.parameter).toBe(
        residence === 'RURAL' ? 'disposableIncomeLastYearRural' : 'disposableIncomeLastYearUrban',
      );
      expect(crit(a, 'rigid.expenditure').passed).toBe(true);
    },
  );

  // Rural, income 1000/month → 12,000 a year → at least 6,000 of spending.
  test.each([
    { medical: 5999.99, education: 0, rehabilitation: 0, category: null },
    { medical: 6000, education: 0, rehabilitation: 0, category: 'RIGID_EXPENDITURE' },
    { medical: 6000.01, education: 0, rehabilitation: 0, category: 'RIGID_EXPENDITURE' },
    { medical: 3000, education: 2000, rehabilitation: 999.99, category: null },
    { medical: 3000, education: 2000, rehabilitation: 1000, category: 'RIGID_EXPENDITURE' },
    { medical: 0, education: 6000, rehabilitation: 0, category: 'RIGID_EXPENDITURE' },
  ] as const)(
    'spending $medical + $education + $rehabilitation vs 50% of 12,000 → $category',
    ({ medical, education, rehabilitation, category }) => {
      const a = assess(withIncome(1000, 1, spend(medical, education, rehabilitation)));
      expect(a.category).toBe(category);
      expect(a.monthlyAmount).toBe(0);
      const c = crit(a, 'rigid.expenditure');
      expect(c.parameter).toBe('rigidExpenditureRatio');
      expect(c.values.annualHouseholdIncome).toBe(12_000);
      expect(c.values.requiredSpending).toBe(6_000);
    },
  );

  test('zero household income: any spending passes the ratio, none fails it', () => {
    expect(crit(assess(withIncome(0, 1, spend(0.01))), 'rigid.expenditure').passed).toBe(true);
    expect(crit(assess(withIncome(0, 1, spend(0))), 'rigid.expenditure').passed).toBe(false);
  });

  test('uses the DIBAO_EDGE asset limits', () => {
    const assets = (vehicles: number) => ({
      assets: { deposits: 0, vehicles, vehicleValue: 30_000, extraHousing: 0, businessAssets: 0 },
    });
    expect(assess(withIncome(1000, 1, { ...spend(6000), ...assets(1) })).category).toBe('RIGID_EXPENDITURE');
    expect(assess(withIncome(1000, 1, { ...spend(6000), ...assets(2) })).category).toBe(null);
  });

  test('a household meeting DIBAO_EDGE is not RIGID_EXPENDITURE', () => {
    expect(assess(withIncome(500, 1, spend(50_000))).category).toBe('DIBAO_EDGE');
  });
});

describe('asset limits (inclusive maxima)', () => {
  const assets = (over: Partial<Household['assets']>) => ({
    deposits: 0,
    vehicles: 0,
    vehicleValue: 0,
    extraHousing: 0,
    businessAssets: 0,
    ...over,
  });

  // 2-member rural household with per-capita income 200: DIBAO by income, DIBAO_EDGE by income too.
  test.each([
    { field: 'deposits', value: 39999.99, category: 'DIBAO', criterion: 'deposits' },
    { field: 'deposits', value: 40000, category: 'DIBAO', criterion: 'deposits' },
    { field: 'deposits', value: 40000.01, category: 'DIBAO_EDGE', criterion: 'deposits' },
    { field: 'vehicles', value: 0, category: 'DIBAO', criterion: 'vehicles' },
    { field: 'vehicles', value: 1, category: 'DIBAO_EDGE', criterion: 'vehicles' },
    { field: 'extraHousing', value: 0, category: 'DIBAO', criterion: 'extraHousing' },
    { field: 'extraHousing', value: 1, category: 'DIBAO_EDGE', criterion: 'extraHousing' },
    { field: 'businessAssets', value: 19999.99, category: 'DIBAO', criterion: 'businessAssets' },
    { field: 'businessAssets', value: 20000, category: 'DIBAO', criterion: 'businessAssets' },
    { field: 'businessAssets', value: 20000.01, category: 'DIBAO_EDGE', criterion: 'businessAssets' },
  ] as const)('DIBAO limit: $field = $value → $category', ({ field, value, category, criterion }) => {
    const a = assess(withIncome(400, 2, { assets: assets({ [field]: value }) }));
    expect(a.category).toBe(category);
    const c = crit(a, `dibao.assets.${criterion}`);
    expect(c.passed).toBe(category === 'DIBAO');
    const limit = { deposits: 'depositsPerCapita', vehicles: 'maxVehicles', extraHousing: 'maxExtraHousing' }[
      criterion as string
    ];
    expect(c.parameter).toBe(`assetLimits.${limit ?? 'businessAssets'}`);
  });

  // 2-member rural household with per-capita income 500: DIBAO_EDGE by income only.
  test.each([
    { field: 'deposits', value: 79999.99, category: 'DIBAO_EDGE' },
    { field: 'deposits', value: 80000, category: 'DIBAO_EDGE' },
    { field: 'deposits', value: 80000.01, category: null },
    { field: 'vehicles', value: 1, category: 'DIBAO_EDGE' },
    { field: 'vehicles', value: 2, category: null },
    { field: 'extraHousing', value: 1, category: 'DIBAO_EDGE' },
    { field: 'extraHousing', value: 2, category: null },
    { field: 'businessAssets', value: 49999.99, category: 'DIBAO_EDGE' },
    { field: 'businessAssets', value: 50000, category: 'DIBAO_EDGE' },
    { field: 'businessAssets', value: 50000.01, category: null },
  ] as const)('DIBAO_EDGE limit: $field = $value → $category', ({ field, value, category }) => {
    const a = assess(withIncome(1000, 2, { assets: assets({ [field]: value }) }));
    expect(a.category).toBe(category);
    const failed = a.criteria.filter((c) => c.id.startsWith('edge.assets.') && !c.passed).map((c) => c.parameter);
    expect(failed.length).toBe(category ? 0 : 1);
    if (!category) expect(failed[0]).toMatch(/^edgeAssetLimits\./);
  });
});

describe('TEKUN: no capacity to work', () => {
  // Alone, no income, no assets, no supporter: TEKUN exactly when the person lacks capacity to work, else DIBAO.
  test.each([
    { label: 'age 60 today', birthDate: '1965-06-30', disability: undefined, category: 'TEKUN' },
    { label: 'age 59, 60 tomorrow', birthDate: '1965-07-01', disability: undefined, category: 'DIBAO' },
    { label: 'age 15, 16 tomorrow', birthDate: '2009-07-01', disability: undefined, category: 'TEKUN' },
    { label: 'age 16 today', birthDate: '2009-06-30', disability: undefined, category: 'DIBAO' },
    {
      label: 'intellectual 3',
      birthDate: '1985-01-01',
      disability: { category: 'INTELLECTUAL', grade: 3 },
      category: 'TEKUN',
    },
    {
      label: 'intellectual 4',
      birthDate: '1985-01-01',
      disability: { category: 'INTELLECTUAL', grade: 4 },
      category: 'DIBAO',
    },
    { label: 'mental 1', birthDate: '1985-01-01', disability: { category: 'MENTAL', grade: 1 }, category: 'TEKUN' },
    { label: 'mental 3', birthDate: '1985-01-01', disability: { category: 'MENTAL', grade: 3 }, category: 'TEKUN' },
    { label: 'mental 4', birthDate: '1985-01-01', disability: { category: 'MENTAL', grade: 4 }, category: 'DIBAO' },
    { label: 'physical 1', birthDate: '1985-01-01', disability: { category: 'PHYSICAL', grade: 1 }, category: 'TEKUN' },
    { label: 'physical 2', birthDate: '1985-01-01', disability: { category: 'PHYSICAL', grade: 2 }, category: 'TEKUN' },
    { label: 'physical 3', birthDate: '1985-01-01', disability: { category: 'PHYSICAL', grade: 3 }, category: 'DIBAO' },
    { label: 'visual 1', birthDate: '1985-01-01', disability: { category: 'VISUAL', grade: 1 }, category: 'TEKUN' },
    { label: 'visual 2', birthDate: '1985-01-01', disability: { category: 'VISUAL', grade: 2 }, category: 'DIBAO' },
    { label: 'hearing 1', birthDate: '1985-01-01', disability: { category: 'HEARING', grade: 1 }, category: 'DIBAO' },
    { label: 'speech 1', birthDate: '1985-01-01', disability: { category: 'SPEECH', grade: 1 }, category: 'DIBAO' },
    { label: 'multiple 1', birthDate: '1985-01-01', disability: { category: 'MULTIPLE', grade: 1 }, category: 'DIBAO' },
    { label: 'no disability, 40', birthDate: '1985-01-01', disability: undefined, category: 'DIBAO' },
  ] as const)('$label → $category', ({ birthDate, disability, category }) => {
    const m = member({ memberId: 'p', relation: 'APPLICANT', birthDate, disability, employed: false });
    const a = assess(household({ members: [m] }));
    expect(a.category).toBe(category);
    expect(crit(a, 'tekun.noCapacity.p').passed).toBe(category === 'TEKUN');
    expect(a.coverage).toBe('HOUSEHOLD');
  });

  test('29 February birthday: a year older on 1 March in a common year', () => {
    const always: PolicyVersion = { ...P2025, effectiveFrom: '2000-01-01' };
    const m = (asOf: string) =>
      assess(
        household({ members: [member({ memberId: 'p', relation: 'APPLICANT', birthDate: '1964-02-29' })] }),
        asOf,
        always,
      );
    expect(crit(m('2024-02-28'), 'tekun.noCapacity.p').values.age).toBe(59);
    expect(crit(m('2024-02-29'), 'tekun.noCapacity.p').values.age).toBe(60);
    expect(crit(m('2025-02-28'), 'tekun.noCapacity.p').values.age).toBe(60);
    expect(crit(m('2023-02-28'), 'tekun.noCapacity.p').values.age).toBe(58);
    expect(crit(m('2023-03-01'), 'tekun.noCapacity.p').values.age).toBe(59);
  });
});

describe('TEKUN: no means of living', () => {
  test.each([
    { label: 'income just under standard', income: 419.99, deposits: 0, category: 'TEKUN' },
    { label: 'income at the standard', income: 420, deposits: 0, category: 'DIBAO_EDGE' },
    { label: 'deposits at the DIBAO limit', income: 0, deposits: 20000, category: 'TEKUN' },
    { label: 'deposits over the limit', income: 0, deposits: 20000.01, category: 'DIBAO_EDGE' },
  ] as const)('$label → $category', ({ income, deposits, category }) => {
    const h = household({
      members: [elder()],
      incomes: income ? [{ memberId: 'e', kind: 'TRANSFER', monthlyAmount: income }] : [],
      assets: { deposits, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
    });
    const a = assess(h);
    expect(a.category).toBe(category);
    expect(crit(a, 'tekun.noMeansOfLiving').passed).toBe(category === 'TEKUN');
  });
});

describe('TEKUN: legal supporters', () => {
  test.each([
    { label: 'none', supporters: [], category: 'TEKUN' },
    { label: 'an able supporter', supporters: [supporter()], category: 'DIBAO' },
    { label: 'supporter is TEKUN', supporters: [supporter({ isTekun: true })], category: 'TEKUN' },
    {
      label: 'DIBAO recipient aged 60',
      supporters: [supporter({ isDibaoRecipient: true, age: 60 })],
      category: 'TEKUN',
    },
    {
      label: 'DIBAO recipient aged 59',
      supporters: [supporter({ isDibaoRecipient: true, age: 59 })],
      category: 'DIBAO',
    },
    {
      label: 'aged 70, income just under disposable',
      supporters: [supporter({ age: 70, annualIncome: 22_799.99 })],
      category: 'TEKUN',
    },
    {
      label: 'aged 70, income at disposable',
      supporters: [supporter({ age: 70, annualIncome: 22_800 })],
      category: 'DIBAO',
    },
    { label: 'aged 69, no income', supporters: [supporter({ age: 69, annualIncome: 0 })], category: 'DIBAO' },
    { label: 'severely disabled', supporters: [supporter({ severeDisability: true })], category: 'TEKUN' },
    {
      label: 'all unable',
      supporters: [
        supporter({ supporterId: 'x', isTekun: true }),
        supporter({ supporterId: 'y', severeDisability: true }),
      ],
      category: 'TEKUN',
    },
    {
      label: 'one able among unable',
      supporters: [supporter({ supporterId: 'x', isTekun: true }), supporter({ supporterId: 'y' })],
      category: 'DIBAO',
    },
  ] as const)('$label → $category', ({ supporters, category }) => {
    const a = assess(household({ members: [elder()], legalSupporters: [...supporters] }));
    expect(a.category).toBe(category);
    expect(crit(a, 'tekun.noAbleSupporter').passed).toBe(category === 'TEKUN');
    for (const s of supporters as readonly LegalSupporter[])
      expect(crit(a, `tekun.supporter.${s.supporterId}`).parameter).toBe('disposableIncomeLastYearRural');
  });

  test('the aged-70 income rule compares with the urban figure for an urban household', () => {
    const h = (annualIncome: number) =>
      household({ residence: 'URBAN', members: [elder()], legalSupporters: [supporter({ age: 75, annualIncome })] });
    expect(assess(h(38_499.99)).category).toBe('TEKUN');
    expect(assess(h(38_500)).category).toBe('DIBAO');
  });
});

describe('TEKUN: care level and amount', () => {
  test.each([
    { unable: 0, careLevel: 'SELF_CARE', rural: 716, urban: 989 },
    { unable: 1, careLevel: 'PARTIAL_CARE', rural: 1056, urban: 1329 },
    { unable: 3, careLevel: 'PARTIAL_CARE', rural: 1056, urban: 1329 },
    { unable: 4, careLevel: 'FULL_CARE', rural: 1566, urban: 1839 },
    { unable: 6, careLevel: 'FULL_CARE', rural: 1566, urban: 1839 },
  ] as const)(
    '$unable activities unable → $careLevel, 1.3 × standard + care: rural $rural, urban $urban',
    ({ unable, careLevel, rural, urban }) => {
      for (const [residence, amount] of [
        ['RURAL', rural],
        ['URBAN', urban],
      ] as const) {
        const a = assess(household({ residence, members: [elder({ dailyActivities: activities(unable) })] }));
        expect(a.category).toBe('TEKUN');
        expect(a.careLevel).toBe(careLevel);
        expect(a.monthlyAmount).toBe(amount);
        const c = crit(a, 'tekun.careLevel.e');
        expect(c.passed).toBe(true);
        expect(c.values.unableActivities).toBe(unable);
        expect(c.parameter).toBe(`tekunCareStandard.${careLevel}`);
      }
    },
  );

  test('daily activities not recorded → SELF_CARE, flagged by a failed criterion', () => {
    const a = assess(household({ members: [elder()] }));
    expect(a.careLevel).toBe('SELF_CARE');
    expect(a.monthlyAmount).toBe(716);
    const c = crit(a, 'tekun.careLevel.e');
    expect(c.passed).toBe(false);
    expect(c.values.dailyActivitiesRecorded).toBe(false);
  });

  test('every member qualifies → HOUSEHOLD; amount per person summed, highest care level reported', () => {
    const a = assess(
      household({
        members: [
          elder({ dailyActivities: activities(0) }),
          member({ memberId: 'w', relation: 'SPOUSE', birthDate: '1955-05-05', dailyActivities: activities(5) }),
        ],
      }),
    );
    expect(a.category).toBe('TEKUN');
    expect(a.coverage).toBe('HOUSEHOLD');
    expect(a.coveredMemberIds).toEqual(['e', 'w']);
    expect(a.careLevel).toBe('FULL_CARE');
    expect(a.monthlyAmount).toBe(546 + 170 + 546 + 1020);
  });

  test('only some members qualify → SINGLE_PERSON for those members', () => {
    // The son is severely disabled: he cannot support his mother, and is not without capacity to work (hearing).
    const son = member({
      memberId: 'son',
      relation: 'CHILD',
      employed: true,
      disability: { category: 'HEARING', grade: 1 },
    });
    const a = assess(
      household({ members: [elder(), son], incomes: [{ memberId: 'son', kind: 'WAGES', monthlyAmount: 800 }] }),
    );
    expect(a.category).toBe('TEKUN');
    expect(a.coverage).toBe('SINGLE_PERSON');
    expect(a.coveredMemberIds).toEqual(['e']);
    expect(a.monthlyAmount).toBe(716);
    expect(crit(a, 'tekun.noCapacity.son').passed).toBe(false);
    expect(crit(a, 'tekun.householdSupporter.e.son').values.reason).toBe('severely disabled');
  });

  test('1.3 × standard is not rounded per person before summing', () => {
    // 421.15 × 1.3 = 547.495 per person: summed 1094.99, where rounding per person would give 1095.00.
    const p: PolicyVersion = {
      ...P2025,
      parameters: {
        ...P2025.parameters,
        dibaoStandardRural: 421.15,
        tekunCareStandard: { SELF_CARE: 0, PARTIAL_CARE: 0, FULL_CARE: 0 },
      },
    };
    const a = assess(
      household({ members: [elder(), member({ memberId: 'w', relation: 'SPOUSE', birthDate: '1950-02-02' })] }),
      AS_OF,
      p,
    );
    expect(a.monthlyAmount).toBe(1094.99);
  });
});

describe('household members are legal supporters (issue 10, item 1)', () => {
  test('a 72-year-old living with her working 45-year-old son: household DIBAO, not TEKUN alone', () => {
    const a = assess(
      household({
        members: [
          elder({ birthDate: '1953-01-01' }),
          member({ memberId: 'son', relation: 'CHILD', birthDate: '1980-01-01' }),
        ],
        incomes: [{ memberId: 'son', kind: 'WAGES', monthlyAmount: 600 }],
      }),
    );
    expect(a.category).toBe('DIBAO');
    expect(a.coverage).toBe('HOUSEHOLD');
    expect(a.monthlyAmount).toBe(840 - 600);
    const c = crit(a, 'tekun.householdSupporter.e.son');
    expect(c.passed).toBe(false);
    expect(c.values).toMatchObject({ supporterRelation: 'CHILD', supporterAge: 45, reason: 'able to support' });
  });

  test('a 12-year-old living with working parents is not TEKUN', () => {
    const a = assess(
      household({
        members: [
          member({ memberId: 'a', relation: 'APPLICANT' }),
          member({ memberId: 'b', relation: 'SPOUSE' }),
          member({
            memberId: 'k',
            relation: 'CHILD',
            birthDate: '2013-01-01',
            employed: false,
            studentLevel: 'PRIMARY',
          }),
        ],
        incomes: [{ memberId: 'a', kind: 'WAGES', monthlyAmount: 900 }],
      }),
    );
    expect(a.category).toBe('DIBAO');
    expect(a.monthlyAmount).toBe(1260 - 900);
    expect(crit(a, 'tekun.householdSupporter.k.a').passed).toBe(false);
    expect(crit(a, 'tekun.householdSupporter.k.b').passed).toBe(false);
  });

  test('a minor child is no supporter; an aged spouse without capacity to work is unable', () => {
    const a = assess(
      household({
        members: [
          elder({ birthDate: '1950-01-01' }),
          member({ memberId: 'w', relation: 'SPOUSE', birthDate: '1958-01-01', employed: false }),
        ],
      }),
    );
    expect(a.category).toBe('TEKUN');
    expect(a.coveredMemberIds).toEqual(['e', 'w']);
    expect(crit(a, 'tekun.householdSupporter.e.w').passed).toBe(true);
  });

  test('mixed household: elder 75 TEKUN, grandson 17 in school DIBAO; nobody poor left uncovered', () => {
    const a = assess(
      household({
        members: [
          elder({ birthDate: '1950-01-01' }),
          member({
            memberId: 'g',
            relation: 'GRANDCHILD',
            birthDate: '2008-01-01',
            employed: false,
            studentLevel: 'SECONDARY',
          }),
        ],
      }),
    );
    expect(a.category).toBe('TEKUN');
    expect(a.coverage).toBe('HOUSEHOLD');
    expect(a.coveredMemberIds).toEqual(['e', 'g']);
    expect(a.components).toEqual([
      { category: 'TEKUN', memberIds: ['e'], monthlyAmount: 716 },
      { category: 'DIBAO', memberIds: ['g'], monthlyAmount: 420 },
    ]);
    expect(a.monthlyAmount).toBe(716 + 420);
    expect(crit(a, 'mixed.othersDibao').passed).toBe(true);
  });

  test('mixed household whose other members earn enough: TEKUN alone', () => {
    const a = assess(
      household({
        members: [
          elder({ birthDate: '1950-01-01' }),
          member({ memberId: 'g', relation: 'GRANDCHILD', birthDate: '2000-01-01' }),
        ],
        incomes: [{ memberId: 'g', kind: 'WAGES', monthlyAmount: 500 }],
      }),
    );
    expect(a.category).toBe('TEKUN');
    expect(a.coverage).toBe('SINGLE_PERSON');
    expect(a.monthlyAmount).toBe(716);
    expect(a.components).toBeUndefined();
  });
});

describe('one-person coverage after the support exemption (issue 10, item 2; plan 三(一))', () => {
  const parentAndStudent = (studentIncome: number, pension = 1000) =>
    household({
      members: [
        member({ memberId: 'p', relation: 'APPLICANT', birthDate: '1960-01-01', employed: false }),
        member({
          memberId: 's',
          relation: 'CHILD',
          birthDate: '2005-01-01',
          employed: false,
          studentLevel: 'UNDERGRADUATE',
        }),
      ],
      incomes: [
        { memberId: 'p', kind: 'TRANSFER', monthlyAmount: pension },
        { memberId: 's', kind: 'TRANSFER', monthlyAmount: studentIncome, payer: { relation: 'SIBLING' } },
      ],
    });

  test('parent 65 with a 1,000 pension + student 20 receiving 500 from a sibling → DIBAO 420 for the student', () => {
    const a = assess(parentAndStudent(500));
    expect(a.category).toBe('DIBAO');
    expect(a.coverage).toBe('SINGLE_PERSON');
    expect(a.coveredMemberIds).toEqual(['s']);
    expect(a.monthlyAmount).toBe(420);
    expect(crit(a, 'singlePerson.exempted.s').passed).toBe(true);
  });

  test('the assets must qualify too', () => {
    const h = parentAndStudent(500);
    h.assets.vehicles = 1;
    const a = assess(h);
    expect(a.category).toBe('DIBAO_EDGE');
    expect(a.monthlyAmount).toBe(0);
    expect(crit(a, 'singlePerson.exempted.s').passed).toBe(false);
  });

  test('a supported adult unemployed severely disabled person is covered alone, outside an edge household', () => {
    const a = assess(
      household({
        members: [
          member({ memberId: 'a', relation: 'APPLICANT' }),
          member({ memberId: 'd', relation: 'SIBLING', employed: false, disability: { category: 'VISUAL', grade: 2 } }),
        ],
        incomes: [
          { memberId: 'a', kind: 'WAGES', monthlyAmount: 3000 },
          { memberId: 'd', kind: 'TRANSFER', monthlyAmount: 300, payer: { relation: 'SIBLING' } },
        ],
      }),
    );
    expect(a.category).toBe('DIBAO');
    expect(a.coveredMemberIds).toEqual(['d']);
    expect(a.monthlyAmount).toBe(420);
  });
});

describe('单人保 (single-person DIBAO in a DIBAO_EDGE household)', () => {
  // Rural, 3 members, applicant earns 1500 → per-capita 500: DIBAO_EDGE by income.
  const edgeHousehold = (third: Partial<Member>, extraIncome?: number): Household =>
    household({
      members: [
        member({ memberId: 'a', relation: 'APPLICANT' }),
        member({ memberId: 'b', relation: 'SPOUSE' }),
        member({ memberId: 'x', relation: 'CHILD', employed: false, ...third }),
      ],
      incomes: [
        { memberId: 'a', kind: 'WAGES', monthlyAmount: extraIncome === undefined ? 1500 : 1500 - extraIncome },
        ...(extraIncome ? [{ memberId: 'x', kind: 'TRANSFER' as const, monthlyAmount: extraIncome }] : []),
      ],
    });

  test.each([
    {
      label: 'physical grade 2',
      third: { disability: { category: 'PHYSICAL', grade: 2 } },
      ownIncome: undefined,
      category: 'DIBAO',
      coverage: 'SINGLE_PERSON',
      amount: 420,
    },
    {
      label: 'intellectual grade 3',
      third: { disability: { category: 'INTELLECTUAL', grade: 3 } },
      ownIncome: undefined,
      category: 'DIBAO',
      coverage: 'SINGLE_PERSON',
      amount: 420,
    },
    {
      label: 'physical grade 3 (not severe)',
      third: { disability: { category: 'PHYSICAL', grade: 3 } },
      ownIncome: undefined,
      category: 'DIBAO_EDGE',
      coverage: 'HOUSEHOLD',
      amount: 0,
    },
    {
      label: 'hearing grade 1',
      third: { disability: { category: 'HEARING', grade: 1 } },
      ownIncome: undefined,
      category: 'DIBAO',
      coverage: 'SINGLE_PERSON',
      amount: 420,
    },
    {
      label: 'serious illness, own income 100',
      third: { seriousIllness: true },
      ownIncome: 100,
      category: 'DIBAO',
      coverage: 'SINGLE_PERSON',
      amount: 320,
    },
    {
      label: 'serious illness, own income 419.99',
      third: { seriousIllness: true },
      ownIncome: 419.99,
      category: 'DIBAO',
      coverage: 'SINGLE_PERSON',
      amount: 0.01,
    },
    {
      label: 'serious illness, own income 420',
      third: { seriousIllness: true },
      ownIncome: 420,
      category: 'DIBAO_EDGE',
      coverage: 'HOUSEHOLD',
      amount: 0,
    },
    { label: 'neither', third: {}, ownIncome: undefined, category: 'DIBAO_EDGE', coverage: 'HOUSEHOLD', amount: 0 },
  ] as const)('$label → $category $coverage $amount', ({ third, ownIncome, category, coverage, amount }) => {
    const a = assess(edgeHousehold(third, ownIncome));
    expect(a.category).toBe(category);
    expect(a.coverage).toBe(coverage);
    expect(a.monthlyAmount).toBe(amount);
    if (coverage === 'SINGLE_PERSON') expect(a.coveredMemberIds).toEqual(['x']);
  });

  test('two qualifying members: each covered, gaps summed', () => {
    const a = assess(
      household({
        members: [
          member({ memberId: 'a', relation: 'APPLICANT' }),
          member({ memberId: 'x', relation: 'CHILD', employed: false, disability: { category: 'MENTAL', grade: 2 } }),
          member({ memberId: 'y', relation: 'PARENT', birthDate: '1970-01-01', seriousIllness: true }),
        ],
        incomes: [
          { memberId: 'a', kind: 'WAGES', monthlyAmount: 1400 },
          { memberId: 'y', kind: 'TRANSFER', monthlyAmount: 100 },
        ],
      }),
    );
    expect(a.category).toBe('DIBAO');
    expect(a.coveredMemberIds).toEqual(['x', 'y']);
    expect(a.monthlyAmount).toBe(420 + 320);
  });

  test('household above the edge line: no 单人保', () => {
    const a = assess(
      household({
        members: [
          member({ memberId: 'a', relation: 'APPLICANT' }),
          member({ memberId: 'x', relation: 'CHILD', seriousIllness: true }),
        ],
        incomes: [{ memberId: 'a', kind: 'WAGES', monthlyAmount: 1260 }],
      }),
    );
    expect(a.category).toBe(null);
    expect(crit(a, 'singlePerson.x').passed).toBe(false);
  });
});

describe(
  'support exemption (sibling or aged-60+ payer, adult severely disabled unemployed member or adult ' + 'student)',
  () => {
    // Rural, 2 members: applicant earns 400; member r receives 500 support. Exempt → per-capita 200, counted → 450.
    const h = (recipient: Partial<Member>, payer: { relation: 'SIBLING' | 'OTHER'; payerAge?: number }) =>
      household({
        members: [
          member({ memberId: 'a', relation: 'APPLICANT' }),
          member({ memberId: 'r', relation: 'CHILD', birthDate: '2000-01-01', employed: false, ...recipient }),
        ],
        incomes: [
          { memberId: 'a', kind: 'WAGES', monthlyAmount: 400 },
          { memberId: 'r', kind: 'TRANSFER', monthlyAmount: 500, payer },
        ],
        // An able supporter keeps the disabled member out of TEKUN, so the category reflects the income test alone.
        legalSupporters: [supporter()],
      });
    const severe = { disability: { category: 'PHYSICAL' as const, grade: 1 as const } };

    test.each([
      { label: 'sibling payer, severely disabled', recipient: severe, payer: { relation: 'SIBLING' }, exempt: true },
      {
        label: 'payer aged 60, severely disabled',
        recipient: severe,
        payer: { relation: 'OTHER', payerAge: 60 },
        exempt: true,
      },
      { label: 'payer aged 59 counts', recipient: severe, payer: { relation: 'OTHER', payerAge: 59 }, exempt: false },
      { label: 'payer of unknown age counts', recipient: severe, payer: { relation: 'OTHER' }, exempt: false },
      {
        label: 'recipient employed counts',
        recipient: { ...severe, employed: true },
        payer: { relation: 'SIBLING' },
        exempt: false,
      },
      {
        label: 'recipient aged 17 counts',
        recipient: { ...severe, birthDate: '2008-01-01' },
        payer: { relation: 'SIBLING' },
        exempt: false,
      },
      {
        label: 'recipient aged 18 today',
        recipient: { ...severe, birthDate: '2007-06-30' },
        payer: { relation: 'SIBLING' },
        exempt: true,
      },
      {
        label: 'mental grade 3 is severe',
        recipient: { disability: { category: 'MENTAL', grade: 3 } },
        payer: { relation: 'SIBLING' },
        exempt: true,
      },
      {
        label: 'physical grade 3 is not severe',
        recipient: { disability: { category: 'PHYSICAL', grade: 3 } },
        payer: { relation: 'SIBLING' },
        exempt: false,
      },
      {
        label: 'undergraduate student',
        recipient: { studentLevel: 'UNDERGRADUATE' },
        payer: { relation: 'SIBLING' },
        exempt: true,
      },
      {
        label: 'vocational student, grandparent payer',
        recipient: { studentLevel: 'VOCATIONAL' },
        payer: { relation: 'OTHER', payerAge: 72 },
        exempt: true,
      },
      {
        label: 'postgraduate student counts',
        recipient: { studentLevel: 'POSTGRADUATE' },
        payer: { relation: 'SIBLING' },
        exempt: false,
      },
      { label: 'not a student, not disabled counts', recipient: {}, payer: { relation: 'SIBLING' }, exempt: false },
    ] as const)('$label → exempt $exempt', ({ recipient, payer, exempt }) => {
      const a = assess(h(recipient, payer));
      expect(a.perCapitaMonthlyIncome).toBe(exempt ? 200 : 450);
      expect(crit(a, 'income.exemption.1').passed).toBe(exempt);
      expect(crit(a, 'dibao.income').values.countedMonthlyIncome).toBe(exempt ? 400 : 900);
    });

    test('an exempt payment turns an edge household into a DIBAO household', () => {
      const exempt = assess(h(severe, { relation: 'SIBLING' }));
      expect(exempt.category).toBe('DIBAO');
      expect(exempt.monthlyAmount).toBe(840 - 400);
    });
  },
);

describe('poverty-return monitoring (plan 一(一) last paragraph)', () => {
  const monitored = (t: ReturnRiskType, h: Household): Household => ({ ...h, returnRiskType: t });
  const rigidOnly = withIncome(1000, 1, { rigidExpenditure12m: { medical: 8000, education: 0, rehabilitation: 0 } });

  test.each([
    { type: 'UNSTABLE_OUT_OF_POVERTY', label: 'meets DIBAO', base: withIncome(100), category: 'DIBAO', amount: 320 },
    {
      type: 'EDGE_AT_RISK',
      label: 'meets TEKUN',
      base: household({ members: [elder()] }),
      category: 'TEKUN',
      amount: 716,
    },
    { type: 'SUDDEN_SEVERE_HARDSHIP', label: 'meets DIBAO', base: withIncome(100), category: 'DIBAO', amount: 320 },
    {
      type: 'UNSTABLE_OUT_OF_POVERTY',
      label: 'meets DIBAO_EDGE',
      base: withIncome(500),
      category: 'DIBAO_EDGE',
      amount: 0,
    },
    { type: 'EDGE_AT_RISK', label: 'meets DIBAO_EDGE', base: withIncome(500), category: 'DIBAO_EDGE', amount: 0 },
    { type: 'SUDDEN_SEVERE_HARDSHIP', label: 'meets RIGID', base: rigidOnly, category: 'RIGID_EXPENDITURE', amount: 0 },
    {
      type: 'UNSTABLE_OUT_OF_POVERTY',
      label: 'meets nothing',
      base: withIncome(5000),
      category: 'OTHER_HARDSHIP',
      amount: 0,
    },
    { type: 'EDGE_AT_RISK', label: 'meets nothing', base: withIncome(5000), category: 'OTHER_HARDSHIP', amount: 0 },
    {
      type: 'SUDDEN_SEVERE_HARDSHIP',
      label: 'meets nothing',
      base: withIncome(5000),
      category: 'OTHER_HARDSHIP',
      amount: 0,
    },
    {
      type: 'SUDDEN_SEVERE_HARDSHIP',
      label: 'meets DIBAO_EDGE',
      base: withIncome(500),
      category: 'DIBAO_EDGE',
      amount: 0,
    },
    {
      type: 'UNSTABLE_OUT_OF_POVERTY',
      label: 'meets RIGID',
      base: rigidOnly,
      category: 'RIGID_EXPENDITURE',
      amount: 0,
    },
  ] as const)('$type $label → $category', ({ type, base, category, amount }) => {
    const a = assess(monitored(type, base));
    expect(a.category).toBe(category);
    expect(a.monthlyAmount).toBe(amount);
    expect(crit(a, 'returnRisk.mapping').values).toMatchObject({ returnRiskType: type, category });
    if (category === 'OTHER_HARDSHIP') {
      expect(a.coverage).toBe('HOUSEHOLD');
      expect(a.coveredMemberIds).toEqual(['a']);
    }
  });

  test('a non-monitored household meeting nothing → no category', () => {
    const a = assess(withIncome(5000));
    expect(a).toMatchObject({ category: null, coverage: 'NONE', coveredMemberIds: [], monthlyAmount: 0 });
    expect(a.criteria.some((c) => c.id === 'returnRisk.mapping')).toBe(false);
  });
});

describe('amounts', () => {
  test.each([
    { residence: 'RURAL', total: 0, size: 1, amount: 420 },
    { residence: 'RURAL', total: 600, size: 3, amount: 660 },
    { residence: 'URBAN', total: 1000, size: 4, amount: 1520 },
    { residence: 'URBAN', total: 0.01, size: 2, amount: 1259.99 },
    { residence: 'RURAL', total: 1000.1, size: 3, amount: 259.9 },
  ] as const)(
    'DIBAO gap (standard − per-capita) × members: $residence $total over $size → $amount',
    ({ residence, total, size, amount }) => {
      const a = assess(withIncome(total, size, { residence }));
      expect(a.category).toBe('DIBAO');
      expect(a.coverage).toBe('HOUSEHOLD');
      expect(a.coveredMemberIds).toHaveLength(size);
      expect(a.monthlyAmount).toBe(amount);
    },
  );

  test('DIBAO_EDGE, RIGID_EXPENDITURE and OTHER_HARDSHIP carry no cash amount', () => {
    expect(assess(withIncome(500)).monthlyAmount).toBe(0);
  });
});

describe('as-of date and policy version', () => {
  const h = withIncome(410);

  test('a past as-of date uses the 2024 version and gives the past result', () => {
    const now = assess(h, AS_OF, policyInForce(SEED_POLICY_VERSIONS, '410721', AS_OF)!);
    expect(now).toMatchObject({ category: 'DIBAO', monthlyAmount: 10, policyVersionId: '410721-2025-01', asOf: AS_OF });
    const pastDate = '2024-06-30';
    const past = assess(h, pastDate, policyInForce(SEED_POLICY_VERSIONS, '410721001001', pastDate)!);
    expect(past).toMatchObject({
      category: 'DIBAO_EDGE',
      monthlyAmount: 0,
      policyVersionId: '410721-2024-01',
      asOf: pastDate,
    });
    expect(crit(past, 'dibao.income').values.dibaoStandard).toBe(400);
  });

  test('ages are taken on the as-of date', () => {
    const m = household({
      members: [member({ memberId: 'p', relation: 'APPLICANT', birthDate: '1964-09-01', employed: false })],
    });
    expect(assess(m, '2024-08-31', P2024).category).toBe('DIBAO');
    expect(assess(m, '2024-09-01', P2024).category).toBe('TEKUN');
  });

  test('rejects a policy not yet in force, a malformed date and a member born after asOf', () => {
    expect(() => assessHousehold(h, '2024-12-31', P2025)).toThrow(RangeError);
    expect(() => assessHousehold(h, '2025-02-30', P2025)).toThrow(RangeError);
    expect(() => assessHousehold(h, '2025/06/30', P2025)).toThrow(RangeError);
    const unborn = household({ members: [member({ memberId: 'a', relation: 'APPLICANT', birthDate: '2025-07-01' })] });
    expect(() => assessHousehold(unborn, AS_OF, P2025)).toThrow(RangeError);
  });
});

describe('output shape', () => {
  test('JSON-serialisable and deterministic', () => {
    const h = household({
      members: [elder({ dailyActivities: activities(2) })],
      legalSupporters: [supporter({ isTekun: true })],
    });
    const a = assess(h);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(assess(h)).toEqual(a);
  });

  test('every criterion lists the numbers compared; threshold criteria name their parameter', () => {
    const a = assess(withIncome(500, 2));
    const ids = a.criteria.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'dibao.income',
        'dibao.assets.deposits',
        'dibao.assets.vehicles',
        'dibao.assets.extraHousing',
        'dibao.assets.businessAssets',
        'tekun.noCapacity.a',
        'tekun.noCapacity.s1',
        'tekun.noMeansOfLiving',
        'tekun.noAbleSupporter',
        'edge.income',
        'edge.assets.deposits',
        'edge.notDibaoOrTekun',
        'rigid.income',
        'rigid.expenditure',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of a.criteria) expect(Object.keys(c.values).length).toBeGreaterThan(0);
    for (const id of ['dibao.income', 'edge.income', 'rigid.income', 'rigid.expenditure'])
      expect(crit(a, id).parameter).toBeTruthy();
  });

  test('assessing does not mutate its input', () => {
    const h = withIncome(300, 2, { returnRiskType: 'EDGE_AT_RISK' });
    const copy = JSON.parse(JSON.stringify(h));
    assess(h);
    expect(h).toEqual(copy);
  });
});

describe('HouseholdSchema', () => {
  test('accepts the fixtures and rejects broken payloads', () => {
    expect(HouseholdSchema.safeParse(withIncome(100, 2)).success).toBe(true);
    const bad = (h: unknown) => HouseholdSchema.safeParse(h).success;
    expect(bad({ ...withIncome(100), incomes: [{ memberId: 'ghost', kind: 'WAGES', monthlyAmount: 1 }] })).toBe(false);
    expect(
      bad({
        ...withIncome(100),
        incomes: [{ memberId: 'a', kind: 'WAGES', monthlyAmount: 1, payer: { relation: 'SIBLING' } }],
      }),
    ).toBe(false);
    expect(bad({ ...withIncome(100), incomes: [{ memberId: 'a', kind: 'WAGES', monthlyAmount: 1.005 }] })).toBe(false);
    expect(bad({ ...withIncome(100), incomes: [{ memberId: 'a', kind: 'WAGES', monthlyAmount: -1 }] })).toBe(false);
    expect(
      bad(household({ members: [member({ memberId: 'a', relation: 'APPLICANT' }), member({ memberId: 'a' })] })),
    ).toBe(false);
    expect(bad(household({ members: [member({ memberId: 'a', relation: 'SPOUSE' })] }))).toBe(false);
    expect(bad(household({ members: [] }))).toBe(false);
    expect(bad(household({ members: [member({ relation: 'APPLICANT', birthDate: '1990-02-30' })] }))).toBe(false);
    expect(
      bad(
        household({
          members: [member({ relation: 'APPLICANT', disability: { category: 'PHYSICAL', grade: 5 as 1 } })],
        }),
      ),
    ).toBe(false);
    expect(bad({ ...withIncome(0), returnRiskType: 'NOT_A_TYPE' })).toBe(false);
  });
});
