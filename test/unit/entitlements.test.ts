// The plan's entitlements (plan 三(二); docs/policy.md §7.5) at their boundaries.
import {
  EDUCATION_AID_TABLE,
  educationEntitlements,
  educationStage,
  medicalInsuranceSubsidy,
  rentReduction,
  rentReductionRate,
} from '../../domain/entitlements';

describe('medical insurance subsidy (三(二)1)', () => {
  const base = { contribution: 400, fixedAmount: 280 };
  it('pays TEKUN the whole contribution', () => {
    expect(medicalInsuranceSubsidy({ ...base, category: 'TEKUN' })).toEqual({ kind: 'FULL', amount: 400 });
    expect(medicalInsuranceSubsidy({ ...base, contribution: 380.5, category: 'TEKUN' })).toEqual({
      kind: 'FULL',
      amount: 380.5,
    });
  });
  it('pays DIBAO and returned-to-poverty persons the fixed amount, never more than the contribution', () => {
    expect(medicalInsuranceSubsidy({ ...base, category: 'DIBAO' })).toEqual({ kind: 'FIXED', amount: 280 });
    expect(medicalInsuranceSubsidy({ ...base, category: null, returnedToPoverty: true })).toEqual({
      kind: 'FIXED',
      amount: 280,
    });
    expect(medicalInsuranceSubsidy({ contribution: 250, fixedAmount: 280, category: 'DIBAO' })).toEqual({
      kind: 'FIXED',
      amount: 250,
    });
    expect(medicalInsuranceSubsidy({ contribution: 280, fixedAmount: 280, category: 'DIBAO' }).amount).toBe(280);
  });
  it('gives other categories nothing from this rule', () => {
    for (const category of ['DIBAO_EDGE', 'RIGID_EXPENDITURE', 'OTHER_HARDSHIP', null] as const)
      expect(medicalInsuranceSubsidy({ ...base, category })).toEqual({ kind: 'NONE', amount: 0 });
  });
});

describe('public-rental rent reduction (三(二)3)', () => {
  const urban = { residence: 'URBAN' as const, rentPerM2: 10 };
  it('reduces urban DIBAO rent by 90 % and urban low-income rent by 80 %', () => {
    expect(rentReductionRate('URBAN', 'DIBAO')).toBe(0.9);
    expect(rentReductionRate('URBAN', 'TEKUN')).toBe(0.9);
    expect(rentReductionRate('URBAN', 'DIBAO_EDGE')).toBe(0.8);
    expect(rentReductionRate('URBAN', 'RIGID_EXPENDITURE')).toBe(0.8);
    expect(rentReductionRate('RURAL', 'DIBAO')).toBe(0);
    expect(rentReductionRate('URBAN', null)).toBe(0);
  });
  it('counts 20 m² a person, the actual area when smaller', () => {
    // 1 person in 18 m²: all of it reduced.
    expect(rentReduction({ ...urban, category: 'DIBAO', householdSize: 1, actualArea: 18 })).toEqual({
      rate: 0.9,
      reducedArea: 18,
      normalRent: 180,
      reduction: 162,
      payable: 18,
    });
    // 1 person in exactly 20 m², and in 20.5 m²: the extra half m² at the normal rent.
    expect(rentReduction({ ...urban, category: 'DIBAO', householdSize: 1, actualArea: 20 }).payable).toBe(20);
    expect(rentReduction({ ...urban, category: 'DIBAO', householdSize: 1, actualArea: 20.5 })).toMatchObject({
      reducedArea: 20,
      reduction: 180,
      payable: 25,
    });
  });
  it('caps a household at 60 m²', () => {
    expect(rentReduction({ ...urban, category: 'DIBAO', householdSize: 3, actualArea: 60 }).reducedArea).toBe(60);
    expect(rentReduction({ ...urban, category: 'DIBAO', householdSize: 4, actualArea: 75 })).toEqual({
      rate: 0.9,
      reducedArea: 60,
      normalRent: 750,
      reduction: 540,
      payable: 210,
    });
    expect(rentReduction({ ...urban, category: 'DIBAO_EDGE', householdSize: 2, actualArea: 50 })).toMatchObject({
      reducedArea: 40,
      reduction: 320,
      payable: 180,
    });
  });
  it('is exact in fen for fractional areas and rents', () => {
    expect(
      rentReduction({ residence: 'URBAN', rentPerM2: 8.4, category: 'DIBAO', householdSize: 2, actualArea: 37.5 }),
    ).toEqual({ rate: 0.9, reducedArea: 37.5, normalRent: 315, reduction: 283.5, payable: 31.5 });
  });
  it('reduces nothing for rural households and refuses impossible input', () => {
    expect(
      rentReduction({ residence: 'RURAL', rentPerM2: 10, category: 'DIBAO', householdSize: 2, actualArea: 40 }),
    ).toMatchObject({ rate: 0, reducedArea: 0, reduction: 0, payable: 400 });
    expect(() => rentReduction({ ...urban, category: 'DIBAO', householdSize: 0, actualArea: 10 })).toThrow(RangeError);
  });
});

describe('education aid by stage (三(二)2)', () => {
  it('lists every stage of the plan', () => {
    expect(Object.keys(EDUCATION_AID_TABLE)).toEqual([
      'PRESCHOOL',
      'COMPULSORY',
      'SENIOR_HIGH',
      'VOCATIONAL',
      'HIGHER',
    ]);
  });
  it('maps school levels and ages to stages at the boundaries', () => {
    expect(educationStage('NONE', 2)).toBeNull();
    expect(educationStage('NONE', 3)).toBe('PRESCHOOL');
    expect(educationStage('NONE', 5)).toBe('PRESCHOOL');
    expect(educationStage('NONE', 6)).toBeNull();
    expect(educationStage('PRIMARY', 7)).toBe('COMPULSORY');
    expect(educationStage('SECONDARY', 14)).toBe('COMPULSORY');
    expect(educationStage('SECONDARY', 15)).toBe('SENIOR_HIGH');
    expect(educationStage('VOCATIONAL', 16)).toBe('VOCATIONAL');
    expect(educationStage('UNDERGRADUATE', 19)).toBe('HIGHER');
    expect(educationStage('POSTGRADUATE', 24)).toBe('HIGHER');
  });
  const codes = (s: Parameters<typeof educationEntitlements>[0], targeted = false) =>
    educationEntitlements(s, { targeted }).map((b) => b.code);
  it('gives every pupil the universal benefits and hardship pupils the targeted ones', () => {
    expect(codes({ stage: 'COMPULSORY', category: null, residence: 'URBAN' })).toEqual(['FEE_AND_TEXTBOOK_WAIVER']);
    expect(codes({ stage: 'COMPULSORY', category: 'DIBAO', residence: 'URBAN' })).toEqual([
      'FEE_AND_TEXTBOOK_WAIVER',
      'LIVING_ALLOWANCE',
    ]);
    expect(codes({ stage: 'COMPULSORY', category: 'DIBAO', residence: 'URBAN', disabled: true }, true)).toEqual([
      'LIVING_ALLOWANCE',
      'NUTRITION',
    ]);
    expect(codes({ stage: 'COMPULSORY', category: null, residence: 'URBAN' }, true)).toEqual([]);
  });
  it('waives senior-high tuition for rural DIBAO and TEKUN, not urban DIBAO', () => {
    expect(codes({ stage: 'SENIOR_HIGH', category: 'DIBAO', residence: 'RURAL' })).toEqual([
      'NATIONAL_GRANT',
      'TUITION_AND_BOARDING_WAIVER',
    ]);
    expect(codes({ stage: 'SENIOR_HIGH', category: 'TEKUN', residence: 'RURAL' })).toContain(
      'TUITION_AND_BOARDING_WAIVER',
    );
    expect(codes({ stage: 'SENIOR_HIGH', category: 'DIBAO', residence: 'URBAN' })).toEqual(['NATIONAL_GRANT']);
    expect(codes({ stage: 'SENIOR_HIGH', category: null, residence: 'URBAN', formerlyPoor: true })).toEqual([
      'TUITION_AND_BOARDING_WAIVER',
    ]);
  });
  it('covers preschool, vocational and higher education', () => {
    expect(codes({ stage: 'PRESCHOOL', category: 'DIBAO_EDGE', residence: 'RURAL' })).toEqual(['LIVING_ALLOWANCE']);
    expect(codes({ stage: 'PRESCHOOL', category: null, residence: 'RURAL', formerlyPoor: true })).toEqual([
      'CARE_AND_LIVING_ALLOWANCE',
    ]);
    expect(codes({ stage: 'VOCATIONAL', category: 'DIBAO', residence: 'RURAL' })).toEqual([
      'TUITION_WAIVER',
      'NATIONAL_GRANT',
    ]);
    expect(codes({ stage: 'HIGHER', category: 'DIBAO', residence: 'RURAL' }, true)).toEqual([]);
    expect(codes({ stage: 'HIGHER', category: 'DIBAO', residence: 'RURAL', firstYear: true }, true)).toEqual([
      'ZIHUI_GRANT',
    ]);
    expect(codes({ stage: 'HIGHER', category: null, residence: 'RURAL', firstYear: true })).toEqual(['STUDENT_LOAN']);
  });
});
