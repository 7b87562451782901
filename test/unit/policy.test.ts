import {
  PolicyParametersSchema,
  PolicyVersionSchema,
  SEED_POLICY_VERSIONS,
  policyInForce,
  smallAdvanceCap,
  type PolicyParameters,
  type PolicyVersion,
} from '../../domain/policy';

const P2025 = SEED_POLICY_VERSIONS.find((v) => v.id === '410721-2025-01')!;
const version = (id: string, regionCode: string, effectiveFrom: string): PolicyVersion => ({
  ...P2025,
  id,
  regionCode,
  effectiveFrom,
});

describe('SEED_POLICY_VERSIONS', () => {
  test('every seeded version is valid and marked as sample values', () => {
    for (const v of SEED_POLICY_VERSIONS) {
      expect(PolicyVersionSchema.safeParse(v).success).toBe(true);
      expect(v.sample).toBe(true);
    }
  });

  test('2025 uses the Henan floors; 2024 is lower', () => {
    const p2024 = SEED_POLICY_VERSIONS.find((v) => v.id === '410721-2024-01')!;
    expect(P2025.parameters).toMatchObject({
      dibaoStandardUrban: 630,
      dibaoStandardRural: 420,
      tekunMultiplier: 1.3,
      edgeMultiplier: 1.5,
      rigidExpenditureRatio: 0.5,
      smallAdvanceCapMonths: 1,
    });
    expect(p2024.parameters.dibaoStandardUrban).toBeLessThan(630);
    expect(p2024.parameters.dibaoStandardRural).toBeLessThan(420);
  });
});

describe('policyInForce', () => {
  const versions = [
    version('county-2024', '410721', '2024-01-01'),
    version('county-2025', '410721', '2025-01-01'),
    version('town-2025-07', '410721001', '2025-07-01'),
    version('village-2026', '410721001002', '2026-01-01'),
    version('other-county', '410702', '2020-01-01'),
  ];
  const id = (region: string, asOf: string) => policyInForce(versions, region, asOf)?.id;

  test.each([
    { region: '410721', asOf: '2023-12-31', expected: undefined },
    { region: '410721', asOf: '2024-01-01', expected: 'county-2024' },
    { region: '410721', asOf: '2024-12-31', expected: 'county-2024' },
    { region: '410721', asOf: '2025-01-01', expected: 'county-2025' },
    { region: '410721', asOf: '2030-01-01', expected: 'county-2025' },
    { region: '410721001', asOf: '2025-06-30', expected: 'county-2025' },
    { region: '410721001', asOf: '2025-07-01', expected: 'town-2025-07' },
    { region: '410721002', asOf: '2025-07-01', expected: 'county-2025' },
    { region: '410721001002', asOf: '2025-06-30', expected: 'county-2025' },
    { region: '410721001002', asOf: '2025-12-31', expected: 'town-2025-07' },
    { region: '410721001002', asOf: '2026-01-01', expected: 'village-2026' },
    { region: '410721001003', asOf: '2026-01-01', expected: 'town-2025-07' },
    { region: '410721002003', asOf: '2026-01-01', expected: 'county-2025' },
    { region: '410702', asOf: '2025-01-01', expected: 'other-county' },
    { region: '410703', asOf: '2025-01-01', expected: undefined },
    { region: '410703001', asOf: '2025-01-01', expected: undefined },
  ] as const)('$region on $asOf → $expected', ({ region, asOf, expected }) => {
    expect(id(region, asOf)).toBe(expected);
  });

  test('does not depend on list order; a same-day duplicate is won by the later entry', () => {
    expect(policyInForce([...versions].reverse(), '410721', '2025-03-01')?.id).toBe('county-2025');
    const fixed = version('county-2025-fix', '410721', '2025-01-01');
    expect(policyInForce([...versions, fixed], '410721', '2025-03-01')?.id).toBe('county-2025-fix');
  });

  test('the seed versions resolve for the county and for its villages', () => {
    expect(policyInForce(SEED_POLICY_VERSIONS, '410721', '2024-06-30')?.id).toBe('410721-2024-01');
    expect(policyInForce(SEED_POLICY_VERSIONS, '410721100200', '2025-06-30')?.id).toBe('410721-2025-01');
  });

  test('rejects a malformed as-of date instead of comparing strings silently', () => {
    expect(() => policyInForce(versions, '410721', '2025-13-01')).toThrow(RangeError);
    expect(() => policyInForce(versions, '410721', '20250101')).toThrow(RangeError);
  });
});

describe('smallAdvanceCap', () => {
  test('one month of the local dibao standard', () => {
    expect(smallAdvanceCap(P2025.parameters, 'URBAN')).toBe(630);
    expect(smallAdvanceCap(P2025.parameters, 'RURAL')).toBe(420);
  });

  test('a fraction of a month never rounds above the exact cap', () => {
    expect(smallAdvanceCap({ ...P2025.parameters, smallAdvanceCapMonths: 0.5 }, 'RURAL')).toBe(210);
    // 630 × 0.3333 = 209.979 → 209.97, not 209.98.
    expect(smallAdvanceCap({ ...P2025.parameters, smallAdvanceCapMonths: 0.3333 }, 'URBAN')).toBe(209.97);
  });
});

describe('PolicyParametersSchema', () => {
  const base = P2025.parameters;
  const valid = (p: unknown) => PolicyParametersSchema.safeParse(p).success;
  const withParams = (over: Partial<PolicyParameters>) => ({ ...base, ...over });

  test('accepts the seeded parameters', () => {
    expect(valid(base)).toBe(true);
  });

  test.each([
    { label: 'dibao standard 0', params: withParams({ dibaoStandardRural: 0 }), ok: false },
    { label: 'negative dibao standard', params: withParams({ dibaoStandardUrban: -1 }), ok: false },
    { label: 'dibao standard with sub-fen precision', params: withParams({ dibaoStandardUrban: 630.005 }), ok: false },
    { label: 'tekun multiplier 1.29', params: withParams({ tekunMultiplier: 1.29 }), ok: false },
    { label: 'tekun multiplier 1.3', params: withParams({ tekunMultiplier: 1.3 }), ok: true },
    { label: 'tekun multiplier 1.5', params: withParams({ tekunMultiplier: 1.5 }), ok: true },
    { label: 'edge multiplier 0.9', params: withParams({ edgeMultiplier: 0.9 }), ok: false },
    { label: 'edge multiplier with 5 decimals', params: withParams({ edgeMultiplier: 1.50001 }), ok: false },
    { label: 'rigid ratio 0', params: withParams({ rigidExpenditureRatio: 0 }), ok: false },
    { label: 'rigid ratio 1.1', params: withParams({ rigidExpenditureRatio: 1.1 }), ok: false },
    { label: 'small advance 1.01 months', params: withParams({ smallAdvanceCapMonths: 1.01 }), ok: false },
    { label: 'small advance 0.5 months', params: withParams({ smallAdvanceCapMonths: 0.5 }), ok: true },
    {
      label: 'fractional vehicle limit',
      params: withParams({ assetLimits: { ...base.assetLimits, maxVehicles: 0.5 } }),
      ok: false,
    },
    {
      label: 'edge limits tighter than DIBAO',
      params: withParams({ edgeAssetLimits: { ...base.edgeAssetLimits, depositsPerCapita: 1000 } }),
      ok: false,
    },
    { label: 'edge limits equal to DIBAO', params: withParams({ edgeAssetLimits: { ...base.assetLimits } }), ok: true },
    {
      label: 'care standards out of order',
      params: withParams({ tekunCareStandard: { SELF_CARE: 500, PARTIAL_CARE: 100, FULL_CARE: 1000 } }),
      ok: false,
    },
    { label: 'missing disposable income', params: { ...base, disposableIncomeLastYearRural: undefined }, ok: false },
    { label: 'string amount', params: { ...base, dibaoStandardRural: '420' }, ok: false },
  ] as const)('$label → valid $ok', ({ params, ok }) => {
    expect(valid(params)).toBe(ok);
  });
});

describe('PolicyVersionSchema', () => {
  test.each([
    { label: 'seed', over: {}, ok: true },
    { label: 'township region', over: { regionCode: '410721001' }, ok: true },
    { label: 'village region', over: { regionCode: '410721001002' }, ok: true },
    { label: '7-digit region', over: { regionCode: '4107210' }, ok: false },
    { label: 'impossible date', over: { effectiveFrom: '2025-02-29' }, ok: false },
    { label: 'empty id', over: { id: '' }, ok: false },
  ] as const)('$label → valid $ok', ({ over, ok }) => {
    expect(PolicyVersionSchema.safeParse({ ...P2025, ...over }).success).toBe(ok);
  });
});
