import { shiftMonth } from '../../domain/dates';
import { validateAdvance, stageMonth, StagePlanSchema } from '../../domain/emergency';
import { SEED_POLICY_VERSIONS, policyInForce, smallAdvanceCap, PolicyParametersSchema } from '../../domain/policy';
import { checkTaskCompletion } from '../../processes';

const policy = policyInForce(SEED_POLICY_VERSIONS, '410721100', '2025-06-30')!.parameters;

describe('small-amount advance cap', () => {
  test('within the cap in force: no refusal, the cap itself included', () => {
    expect(validateAdvance(420, smallAdvanceCap(policy, 'RURAL'), 'RURAL')).toBeUndefined();
    expect(validateAdvance(629.99, smallAdvanceCap(policy, 'URBAN'), 'URBAN')).toBeUndefined();
  });

  test('over the cap: refused with the cap and the regular path or a case conference as alternatives', () => {
    const refusal = validateAdvance(420.01, smallAdvanceCap(policy, 'RURAL'), 'RURAL');
    expect(refusal).toMatchObject({
      code: 'ADVANCE_OVER_CAP',
      details: { cap: 420, requestedAmount: 420.01, residence: 'RURAL' },
    });
    expect(refusal!.message).toMatch(/applications/);
    expect(refusal!.message).toMatch(/case conference/);
  });

  test('the justification limit is a policy parameter, 5 working days in the seeds', () => {
    expect(policy.justificationWorkingDays).toBe(5);
    expect(PolicyParametersSchema.safeParse({ ...policy, justificationWorkingDays: 0 }).success).toBe(false);
  });
});

describe('staged assistance plan', () => {
  test('1 to 6 stages of positive amounts', () => {
    expect(StagePlanSchema.safeParse([{ amount: 300 }]).success).toBe(true);
    expect(StagePlanSchema.safeParse(Array.from({ length: 6 }, (_, i) => ({ amount: 100 + i }))).success).toBe(true);
    expect(StagePlanSchema.safeParse([]).success).toBe(false);
    expect(StagePlanSchema.safeParse(Array.from({ length: 7 }, () => ({ amount: 100 }))).success).toBe(false);
    expect(StagePlanSchema.safeParse([{ amount: 0 }]).success).toBe(false);
    expect(StagePlanSchema.safeParse([{ amount: 10.001 }]).success).toBe(false);
  });

  test('stage k belongs to the k-th month from approval', () => {
    expect(stageMonth('2026-11-20', 1)).toBe('2026-11');
    expect(stageMonth('2026-11-20', 3)).toBe('2027-01');
    expect(shiftMonth('2026-12', 6)).toBe('2027-06');
  });
});

describe('emergency task data', () => {
  const base = { facts: 'house fire on 3 Nov', amountPaid: 420 };
  test('justification: outcome-specific data is required and checked', () => {
    expect(checkTaskCompletion('justification', 'NO_FURTHER_HELP', base)).toBeUndefined();
    expect(
      checkTaskCompletion('justification', 'STAGED_ASSISTANCE', {
        ...base,
        stages: [{ amount: 300 }, { amount: 200 }],
      }),
    ).toBeUndefined();
    expect(checkTaskCompletion('justification', 'STAGED_ASSISTANCE', base)?.code).toBe('INVALID_DATA');
    expect(
      checkTaskCompletion('justification', 'CASE_CONFERENCE', {
        ...base,
        conference: { reason: 'severe', departments: ['HEALTH'] },
      }),
    ).toBeUndefined();
    expect(
      checkTaskCompletion('justification', 'CASE_CONFERENCE', {
        ...base,
        conference: { reason: 'severe', departments: [] },
      })?.code,
    ).toBe('INVALID_DATA');
    expect(checkTaskCompletion('justification', 'NO_FURTHER_HELP', { amountPaid: 420 })?.code).toBe('INVALID_DATA');
    // File contents never travel in task data: only the stored attachment's metadata.
    expect(
      checkTaskCompletion('justification', 'NO_FURTHER_HELP', {
        ...base,
        evidence: [{ fileName: 'a.pdf', contentBase64: 'JVBERi0=' }],
      })?.code,
    ).toBe('INVALID_DATA');
  });

  test('stage review: a changed amount needs the amount and a reason, a stop a reason', () => {
    expect(checkTaskCompletion('stagedAssistance', 'CONTINUE', {})).toBeUndefined();
    expect(
      checkTaskCompletion('stagedAssistance', 'CHANGE_AMOUNT', { newAmount: 250, reason: 'medical bills lower' }),
    ).toBeUndefined();
    expect(checkTaskCompletion('stagedAssistance', 'CHANGE_AMOUNT', { newAmount: 250 })?.code).toBe('INVALID_DATA');
    expect(checkTaskCompletion('stagedAssistance', 'STOP', {})?.code).toBe('INVALID_DATA');
  });
});
