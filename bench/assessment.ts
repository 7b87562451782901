// Throughput of assessHousehold on a typical household: `npx tsx bench/assessment.ts`. Prints figures, asserts nothing.

import { assessHousehold, type Assessment } from '../domain/assessment';
import { HouseholdSchema, type Household } from '../domain/household';
import { SEED_POLICY_VERSIONS, policyInForce } from '../domain/policy';

// Rural couple with a student child and a grandparent with a grade-3 physical disability: wages, a pension and a
// sibling-paid support transfer, a few assets, medical spending and one legal supporter — enough to exercise
// the exemption, every asset check, the TEKUN per-member checks and the 单人保 path.
const household: Household = HouseholdSchema.parse({
  residence: 'RURAL',
  members: [
    {
      memberId: 'a',
      relation: 'APPLICANT',
      birthDate: '1982-04-12',
      laborCapacity: 'FULL',
      seriousIllness: false,
      studentLevel: 'NONE',
      employed: true,
    },
    {
      memberId: 'b',
      relation: 'SPOUSE',
      birthDate: '1984-09-03',
      laborCapacity: 'PARTIAL',
      seriousIllness: true,
      studentLevel: 'NONE',
      employed: false,
    },
    {
      memberId: 'c',
      relation: 'CHILD',
      birthDate: '2006-02-20',
      laborCapacity: 'PARTIAL',
      seriousIllness: false,
      studentLevel: 'UNDERGRADUATE',
      employed: false,
    },
    {
      memberId: 'd',
      relation: 'PARENT',
      birthDate: '1951-11-30',
      laborCapacity: 'NONE',
      seriousIllness: false,
      studentLevel: 'NONE',
      employed: false,
      disability: { category: 'PHYSICAL', grade: 3 },
      dailyActivities: {
        eating: true,
        dressing: true,
        transferring: false,
        toileting: true,
        walkingIndoors: true,
        bathing: false,
      },
    },
  ],
  incomes: [
    { memberId: 'a', kind: 'WAGES', monthlyAmount: 1650 },
    { memberId: 'd', kind: 'TRANSFER', monthlyAmount: 168 },
    { memberId: 'c', kind: 'TRANSFER', monthlyAmount: 600, payer: { relation: 'SIBLING' } },
  ],
  assets: { deposits: 12_000, vehicles: 1, vehicleValue: 18_000, extraHousing: 0, businessAssets: 0 },
  rigidExpenditure12m: { medical: 9_800, education: 6_500, rehabilitation: 1_200 },
  legalSupporters: [
    {
      supporterId: 's',
      isTekun: false,
      isDibaoRecipient: false,
      age: 44,
      annualIncome: 60_000,
      severeDisability: false,
    },
  ],
  returnRiskType: 'EDGE_AT_RISK',
});

const asOf = '2025-06-30';
const policy = policyInForce(SEED_POLICY_VERSIONS, '410721001001', asOf)!;
const WARMUP = 20_000;
const N = 200_000;

// Keeps the result live so the JIT cannot drop the calls.
let sink = 0;
const consume = (a: Assessment) => {
  sink += a.criteria.length + a.monthlyAmount;
};

for (let i = 0; i < WARMUP; i++) consume(assessHousehold(household, asOf, policy));

const start = process.hrtime.bigint();
for (let i = 0; i < N; i++) consume(assessHousehold(household, asOf, policy));
const elapsedNs = Number(process.hrtime.bigint() - start);

const sample = assessHousehold(household, asOf, policy);
const meanUs = elapsedNs / N / 1_000;
console.log(
  `household: 4 members, ${sample.criteria.length} criteria → ${sample.category} ${sample.coverage} ` +
    `${sample.monthlyAmount} yuan (policy ${sample.policyVersionId})`,
);
console.log(`${N.toLocaleString('en-US')} assessments in ${(elapsedNs / 1e6).toFixed(1)} ms`);
console.log(`mean ${meanUs.toFixed(2)} µs/assessment, ${Math.round(1e6 / meanUs).toLocaleString('en-US')} ops/s`);
if (sink === 0) console.log('(unreachable)');
