// Eligibility assessment (docs/policy.md §3, plan 一(一)): which low-income category a household falls in, who is
// covered,
// the monthly amount, and every comparison that led there so a reviewer can check it by hand.
//
// Pure and deterministic: imported by Temporal workflow code and by activities. No I/O, no clock reads — the
// caller passes asOf and the policy version. Money is handled in integer fen (cents) and policy factors in
// integer 1/10000 units, so boundary comparisons are exact; yuan with 2 decimals appear only in the output.

import { isIsoDate, type IsoDate } from './calendar';
import { type AssistanceCategory } from './glossary';
import { type Household, type Member, type LegalSupporter, type Disability, type StudentLevel } from './household';
import { DAILY_ACTIVITIES } from './household';
import type { AssetLimits, PolicyParameters, PolicyVersion } from './policy';
import { ageOn } from './dates';
import { fenToYuan, toFen } from './money';

export type CareLevel = 'SELF_CARE' | 'PARTIAL_CARE' | 'FULL_CARE';

export interface Criterion {
  id: string;
  description: string;
  passed: boolean;
  values: Record<string, number | string | boolean>;
  /** Dotted name of the policy parameter used, e.g. 'dibaoStandardRural'. */
  parameter?: string;
}

export interface AssessmentComponent {
  category: AssistanceCategory;
  memberIds: string[];
  monthlyAmount: number;
}

export interface Assessment {
  category: AssistanceCategory | null;
  coverage: 'HOUSEHOLD' | 'SINGLE_PERSON' | 'NONE';
  coveredMemberIds: string[];
  /** TEKUN only. With several covered persons, the highest level among them (each is in its own criterion). */
  careLevel?: CareLevel;
  /** Yuan per month, rounded to 2 decimals (the sum of the components when there are several). */
  monthlyAmount: number;
  /** A mixed household: TEKUN members and the others covered by DIBAO, each part with its own amount. */
  components?: AssessmentComponent[];
  /** Yuan, counted income / members, rounded to 2 decimals. */
  perCapitaMonthlyIncome: number;
  criteria: Criterion[];
  policyVersionId: string;
  asOf: IsoDate;
}

const BP = 10_000;
const toBp = (factor: number) => Math.round(factor * BP);
const CARE_RANK: Record<CareLevel, number> = { SELF_CARE: 0, PARTIAL_CARE: 1, FULL_CARE: 2 };

/** docs/policy.md §3.1 "severe disability": grade 1–2 of any category, or grade 3 intellectual/mental. */
export function isSeverelyDisabled(d: Disability | undefined): boolean {
  if (!d) return false;
  return d.grade <= 2 || (d.grade === 3 && (d.category === 'INTELLECTUAL' || d.category === 'MENTAL'));
}

const EXEMPT_STUDENT_LEVELS: ReadonlySet<StudentLevel> = new Set([
  'PRIMARY',
  'SECONDARY',
  'VOCATIONAL',
  'UNDERGRADUATE',
]);

/** Why a member has no capacity to work for TEKUN (docs/policy.md §3), or '' when they have it. */
function noCapacityReason(age: number, d: Disability | undefined): string {
  if (age >= 60) return 'aged 60 or over';
  if (age < 16) return 'under 16';
  if (d) {
    if ((d.category === 'INTELLECTUAL' || d.category === 'MENTAL') && d.grade <= 3)
      return `${d.category.toLowerCase()} disability grade ${d.grade}`;
    if (d.category === 'PHYSICAL' && d.grade <= 2) return `physical disability grade ${d.grade}`;
    if (d.category === 'VISUAL' && d.grade === 1) return 'visual disability grade 1';
  }
  return '';
}

/** Why a legal supporter cannot support (docs/policy.md §3), or '' when they can. */
function supporterUnableReason(s: LegalSupporter, disposableCents: number): string {
  if (s.isTekun) return 'is TEKUN';
  if (s.isDibaoRecipient && s.age >= 60) return 'DIBAO recipient aged 60 or over';
  if (s.age >= 70 && toFen(s.annualIncome) < disposableCents)
    return "aged 70 or over with income below last year's per-capita disposable income";
  if (s.severeDisability) return 'severely disabled';
  return '';
}

/**
 * The co-resident members who owe `m` support (docs/policy.md §3.2): spouse, parents, adult children. Relations are
 * stated against the applicant, so they are read from `m`'s side: the applicant's spouse is taken as the other parent
 * of the applicant's children, and a grandchild's parents as the applicant's children living with them.
 */
function coResidentSupporters(m: Member, members: Member[], ages: Map<string, number>): Member[] {
  const adult = (x: Member) => (ages.get(x.memberId) ?? 0) >= 18;
  const pick = (rel: Member['relation'], adultOnly = false) =>
    members.filter((x) => x.memberId !== m.memberId && x.relation === rel && (!adultOnly || adult(x)));
  switch (m.relation) {
    case 'APPLICANT':
      return [...pick('SPOUSE'), ...pick('PARENT'), ...pick('CHILD', true)];
    case 'SPOUSE':
      return [...pick('APPLICANT'), ...pick('CHILD', true)];
    case 'CHILD':
      return [...pick('APPLICANT'), ...pick('SPOUSE')];
    case 'PARENT':
      // The other parent is the spouse; the applicant and their siblings are the children.
      return [...pick('PARENT'), ...pick('APPLICANT', true), ...pick('SIBLING', true)];
    case 'SIBLING':
      return pick('PARENT');
    case 'GRANDCHILD':
      return pick('CHILD', true);
    case 'GRANDPARENT':
      return [...pick('GRANDPARENT'), ...pick('PARENT', true)];
    default:
      return [];
  }
}

/** Why a co-resident supporter cannot support (docs/policy.md §3.2), or '' when they can. */
function memberUnableReason(
  s: Member,
  age: number,
  noCapacity: boolean,
  ownCents: Map<string, number>,
  disposableCents: number,
): string {
  // Without capacity to work and in the same means-tested household, they are TEKUN-eligible themselves.
  if (noCapacity) return 'has no capacity to work (TEKUN-eligible themselves)';
  if (isSeverelyDisabled(s.disability)) return 'severely disabled';
  if (age >= 70 && (ownCents.get(s.memberId) ?? 0) * 12 < disposableCents)
    return "aged 70 or over with income below last year's per-capita disposable income";
  return '';
}

function careLevelOf(unable: number): CareLevel {
  return unable === 0 ? 'SELF_CARE' : unable <= 3 ? 'PARTIAL_CARE' : 'FULL_CARE';
}

/** Pushes one criterion per asset limit; true when all are met. Limits are maxima, so the limit itself passes. */
function checkAssets(
  h: Household,
  n: number,
  limits: AssetLimits,
  idPrefix: string,
  paramPrefix: string,
  label: string,
  out: Criterion[],
): boolean {
  const a = h.assets;
  const depositsCents = toFen(a.deposits);
  const perCapitaLimitCents = toFen(limits.depositsPerCapita);
  const deposits = depositsCents <= perCapitaLimitCents * n;
  out.push({
    id: `${idPrefix}.deposits`,
    description: `deposits per member within the ${label} limit`,
    passed: deposits,
    values: {
      deposits: fenToYuan(depositsCents),
      members: n,
      depositsPerCapita: fenToYuan(depositsCents / n),
      limitPerCapita: limits.depositsPerCapita,
    },
    parameter: `${paramPrefix}.depositsPerCapita`,
  });
  const vehicles = a.vehicles <= limits.maxVehicles;
  out.push({
    id: `${idPrefix}.vehicles`,
    description: `number of vehicles within the ${label} limit`,
    passed: vehicles,
    values: { vehicles: a.vehicles, vehicleValue: a.vehicleValue, maxVehicles: limits.maxVehicles },
    parameter: `${paramPrefix}.maxVehicles`,
  });
  const housing = a.extraHousing <= limits.maxExtraHousing;
  out.push({
    id: `${idPrefix}.extraHousing`,
    description: `houses beyond the first within the ${label} limit`,
    passed: housing,
    values: { extraHousing: a.extraHousing, maxExtraHousing: limits.maxExtraHousing },
    parameter: `${paramPrefix}.maxExtraHousing`,
  });
  const businessCents = toFen(a.businessAssets);
  const business = businessCents <= toFen(limits.businessAssets);
  out.push({
    id: `${idPrefix}.businessAssets`,
    description: `business assets within the ${label} limit`,
    passed: business,
    values: { businessAssets: fenToYuan(businessCents), limit: limits.businessAssets },
    parameter: `${paramPrefix}.businessAssets`,
  });
  return deposits && vehicles && housing && business;
}

/**
 * Assess `h` under `policy` as of `asOf` (ages are taken on that date).
 *
 * Precedence when several categories are met: TEKUN, DIBAO (household), DIBAO 单人保, DIBAO_EDGE,
 * RIGID_EXPENDITURE, then OTHER_HARDSHIP for poverty-return monitored households. All criteria are evaluated and
 * listed whatever the outcome. Throws RangeError on a malformed asOf, a policy not yet in force on asOf, an empty
 * household or a member born after asOf; otherwise expects input that passed HouseholdSchema.
 */
export function assessHousehold(h: Household, asOf: IsoDate, policy: PolicyVersion): Assessment {
  if (!isIsoDate(asOf))
    throw new RangeError(`asOf must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  // A decision must record the parameters in force when it was made; a later version would silently rewrite history.
  if (policy.effectiveFrom > asOf)
    throw new RangeError(`policy ${policy.id} takes effect ${policy.effectiveFrom}, after asOf ${asOf}`);
  const n = h.members.length;
  if (n === 0) throw new RangeError('household has no members');

  const p: PolicyParameters = policy.parameters;
  const rural = h.residence === 'RURAL';
  const standardParam = rural ? 'dibaoStandardRural' : 'dibaoStandardUrban';
  const disposableParam = rural ? 'disposableIncomeLastYearRural' : 'disposableIncomeLastYearUrban';
  const standardCents = toFen(rural ? p.dibaoStandardRural : p.dibaoStandardUrban);
  const disposableCents = toFen(rural ? p.disposableIncomeLastYearRural : p.disposableIncomeLastYearUrban);
  const standard = fenToYuan(standardCents);
  const criteria: Criterion[] = [];

  const byId = new Map<string, Member>();
  const ages = new Map<string, number>();
  for (const m of h.members) {
    const age = ageOn(m.birthDate, asOf);
    if (age < 0) throw new RangeError(`member ${m.memberId} born ${m.birthDate}, after asOf ${asOf}`);
    byId.set(m.memberId, m);
    ages.set(m.memberId, age);
  }

  // --- Counted income, with the support exemption (docs/policy.md §3, DIBAO bullet) ---------------------------------
  let totalCents = 0;
  const ownCents = new Map<string, number>();
  /** Members whose support was exempted: candidates for one-person coverage (plan 三(一)). */
  const exemptedIds = new Set<string>();
  h.incomes.forEach((inc, i) => {
    const cents = toFen(inc.monthlyAmount);
    let exempt = false;
    if (inc.payer) {
      const m = byId.get(inc.memberId);
      const age = ages.get(inc.memberId) ?? 0;
      const payerQualifies =
        inc.payer.relation === 'SIBLING' || (inc.payer.payerAge !== undefined && inc.payer.payerAge >= 60);
      const severeUnemployed = !!m && isSeverelyDisabled(m.disability) && !m.employed;
      const student = !!m && EXEMPT_STUDENT_LEVELS.has(m.studentLevel);
      const recipientQualifies = age >= 18 && (severeUnemployed || student);
      exempt = payerQualifies && recipientQualifies;
      const values: Record<string, number | string | boolean> = {
        memberId: inc.memberId,
        monthlyAmount: fenToYuan(cents),
        payerRelation: inc.payer.relation,
        recipientAge: age,
        recipientSeverelyDisabledUnemployed: severeUnemployed,
        recipientStudentLevel: m?.studentLevel ?? 'NONE',
      };
      if (inc.payer.payerAge !== undefined) values.payerAge = inc.payer.payerAge;
      criteria.push({
        id: `income.exemption.${i}`,
        description:
          'support paid by a sibling or a person aged 60+ to an adult unemployed severely disabled member or an ' +
          'adult student (undergraduate or below) is not counted',
        passed: exempt,
        values,
      });
    }
    if (exempt) exemptedIds.add(inc.memberId);
    if (!exempt) {
      totalCents += cents;
      ownCents.set(inc.memberId, (ownCents.get(inc.memberId) ?? 0) + cents);
    }
  });
  const perCapita = fenToYuan(totalCents / n);

  // --- DIBAO means test ---------------------------------------------------------------------------------------
  // Strictly below: per-capita < standard ⇔ total < standard × n, compared in whole fen with no division.
  const dibaoIncome = totalCents < standardCents * n;
  criteria.push({
    id: 'dibao.income',
    description: 'per-capita monthly income strictly below the dibao standard',
    passed: dibaoIncome,
    values: {
      perCapitaMonthlyIncome: perCapita,
      dibaoStandard: standard,
      countedMonthlyIncome: fenToYuan(totalCents),
      members: n,
    },
    parameter: standardParam,
  });
  const dibaoAssets = checkAssets(h, n, p.assetLimits, 'dibao.assets', 'assetLimits', 'DIBAO', criteria);
  const meansTest = dibaoIncome && dibaoAssets;

  // --- TEKUN, per person ----------------------------------------------------------------------------------------
  const noCapacity: string[] = [];
  for (const m of h.members) {
    const age = ages.get(m.memberId)!;
    const reason = noCapacityReason(age, m.disability);
    if (reason) noCapacity.push(m.memberId);
    const values: Record<string, number | string | boolean> = {
      memberId: m.memberId,
      age,
      reason: reason || 'has capacity to work',
    };
    if (m.disability) {
      values.disabilityCategory = m.disability.category;
      values.disabilityGrade = m.disability.grade;
    }
    criteria.push({
      id: `tekun.noCapacity.${m.memberId}`,
      description:
        'no capacity to work: aged ≥ 60, under 16, intellectual/mental disability grade 1–3, physical grade 1–2 ' +
        'or visual grade 1',
      passed: reason !== '',
      values,
    });
  }
  criteria.push({
    id: 'tekun.noMeansOfLiving',
    description:
      'no means of living: per-capita income strictly below the dibao standard and assets within the DIBAO limits',
    passed: meansTest,
    values: {
      perCapitaMonthlyIncome: perCapita,
      dibaoStandard: standard,
      incomeBelowStandard: dibaoIncome,
      assetsWithinLimits: dibaoAssets,
    },
    parameter: standardParam,
  });
  let ableSupporters = 0;
  for (const s of h.legalSupporters) {
    const reason = supporterUnableReason(s, disposableCents);
    if (!reason) ableSupporters++;
    criteria.push({
      id: `tekun.supporter.${s.supporterId}`,
      description:
        'legal supporter unable to support: is TEKUN, a DIBAO recipient aged ≥ 60, aged ≥ 70 with annual income ' +
        "below last year's per-capita disposable income, or severely disabled",
      passed: reason !== '',
      values: {
        supporterId: s.supporterId,
        age: s.age,
        isTekun: s.isTekun,
        isDibaoRecipient: s.isDibaoRecipient,
        annualIncome: s.annualIncome,
        disposableIncomeLastYear: fenToYuan(disposableCents),
        severeDisability: s.severeDisability,
        reason: reason || 'able to support',
      },
      parameter: disposableParam,
    });
  }
  const noAbleSupporter = ableSupporters === 0;
  criteria.push({
    id: 'tekun.noAbleSupporter',
    description: 'no legal supporter outside the household, or none able to support',
    passed: noAbleSupporter,
    values: { supporters: h.legalSupporters.length, ableSupporters },
  });
  // Co-resident spouses, parents and adult children are legal supporters too (docs/policy.md §3.2): a member without
  // capacity to work is TEKUN only when none of them can support.
  const noCapacitySet = new Set(noCapacity);
  const tekunCandidates = meansTest && noAbleSupporter ? noCapacity : [];
  const tekunIds: string[] = [];
  for (const id of tekunCandidates) {
    const m = byId.get(id)!;
    const able: string[] = [];
    for (const s of coResidentSupporters(m, h.members, ages)) {
      const age = ages.get(s.memberId)!;
      const reason = memberUnableReason(s, age, noCapacitySet.has(s.memberId), ownCents, disposableCents);
      if (!reason) able.push(s.memberId);
      criteria.push({
        id: `tekun.householdSupporter.${id}.${s.memberId}`,
        description:
          'co-resident spouse, parent or adult child unable to support: without capacity to work themselves, ' +
          "aged ≥ 70 with income below last year's per-capita disposable income, or severely disabled",
        passed: reason !== '',
        values: {
          memberId: id,
          supporterMemberId: s.memberId,
          supporterRelation: s.relation,
          supporterAge: age,
          supporterAnnualIncome: fenToYuan((ownCents.get(s.memberId) ?? 0) * 12),
          disposableIncomeLastYear: fenToYuan(disposableCents),
          reason: reason || 'able to support',
        },
        parameter: disposableParam,
      });
    }
    if (able.length === 0) tekunIds.push(id);
  }
  // --- DIBAO_EDGE and 单人保 ------------------------------------------------------------------------------------
  const edgeBp = toBp(p.edgeMultiplier);
  const edgeIncome = totalCents * BP < standardCents * edgeBp * n;
  criteria.push({
    id: 'edge.income',
    description: 'per-capita monthly income strictly below edgeMultiplier × dibao standard',
    passed: edgeIncome,
    values: {
      perCapitaMonthlyIncome: perCapita,
      edgeLine: fenToYuan((standardCents * edgeBp) / BP),
      dibaoStandard: standard,
      edgeMultiplier: p.edgeMultiplier,
    },
    parameter: 'edgeMultiplier',
  });
  const edgeAssets = checkAssets(
    h,
    n,
    p.edgeAssetLimits,
    'edge.assets',
    'edgeAssetLimits',
    'DIBAO_EDGE (also RIGID_EXPENDITURE)',
    criteria,
  );
  const notDibaoOrTekun = !meansTest && tekunIds.length === 0;
  criteria.push({
    id: 'edge.notDibaoOrTekun',
    description: 'household does not qualify for DIBAO or TEKUN',
    passed: notDibaoOrTekun,
    values: { dibao: meansTest, tekunMembers: tekunIds.length },
  });
  const edge = notDibaoOrTekun && edgeIncome && edgeAssets;

  // 单人保: the household per-capita gap is ≤ 0 by definition in an edge household, so each covered person is
  // treated as a one-person household: covered when their own counted income is strictly below the standard, paid
  // standard − own income. With no own income that is the full standard per covered person.
  const singleIds: string[] = [];
  let singleAmountCents = 0;
  for (const m of h.members) {
    const severe = isSeverelyDisabled(m.disability);
    if (!severe && !m.seriousIllness) continue;
    const own = ownCents.get(m.memberId) ?? 0;
    const passed = edge && own < standardCents;
    if (passed) {
      singleIds.push(m.memberId);
      singleAmountCents += standardCents - own;
    }
    criteria.push({
      id: `singlePerson.${m.memberId}`,
      description:
        '单人保: severely disabled or seriously ill member of a DIBAO_EDGE household, own counted income strictly ' +
        'below the dibao standard',
      passed,
      values: {
        memberId: m.memberId,
        severeDisability: severe,
        seriousIllness: m.seriousIllness,
        householdIsEdge: edge,
        ownMonthlyIncome: fenToYuan(own),
        dibaoStandard: standard,
      },
      parameter: standardParam,
    });
  }

  // One-person coverage after the support exemption (plan 三(一)): the exempted adult (severely disabled and unemployed,
  // or a student up to undergraduate level) is covered alone when their own counted income is strictly below the
  // standard and the household's assets are within the DIBAO limits, whatever the rest of the household earns.
  for (const id of exemptedIds) {
    if (singleIds.includes(id)) continue;
    const own = ownCents.get(id) ?? 0;
    const passed = !meansTest && tekunIds.length === 0 && own < standardCents && dibaoAssets;
    if (passed) {
      singleIds.push(id);
      singleAmountCents += standardCents - own;
    }
    criteria.push({
      id: `singlePerson.exempted.${id}`,
      description:
        'support exempted: covered as a one-person household when own counted income is strictly below the dibao ' +
        'standard and assets are within the DIBAO limits',
      passed,
      values: {
        memberId: id,
        householdIsDibao: meansTest,
        ownMonthlyIncome: fenToYuan(own),
        dibaoStandard: standard,
        assetsWithinLimits: dibaoAssets,
      },
      parameter: standardParam,
    });
  }

  // --- RIGID_EXPENDITURE ------------------------------------------------------------------------------------------
  const annualCents = totalCents * 12;
  const rigidIncome = annualCents < disposableCents * n;
  criteria.push({
    id: 'rigid.income',
    description: "per-capita income × 12 strictly below last year's per-capita disposable income",
    passed: rigidIncome,
    values: { perCapitaAnnualIncome: fenToYuan(annualCents / n), disposableIncomeLastYear: fenToYuan(disposableCents) },
    parameter: disposableParam,
  });
  const re = h.rigidExpenditure12m;
  // Rehabilitation is medical spending in substance, so it counts towards the medical share.
  const spendCents = toFen(re.medical) + toFen(re.education) + toFen(re.rehabilitation);
  const ratioBp = toBp(p.rigidExpenditureRatio);
  // spend ≥ ratio × income, exactly; nothing spent never passes, even against zero income.
  const rigidSpend = spendCents > 0 && spendCents * BP >= annualCents * ratioBp;
  criteria.push({
    id: 'rigid.expenditure',
    description:
      'medical + education (+ rehabilitation) spending over the last 12 months at least rigidExpenditureRatio × ' +
      'annual household income',
    passed: rigidSpend,
    values: {
      medical: re.medical,
      education: re.education,
      rehabilitation: re.rehabilitation,
      spending12m: fenToYuan(spendCents),
      annualHouseholdIncome: fenToYuan(annualCents),
      requiredSpending: fenToYuan((annualCents * ratioBp) / BP),
      rigidExpenditureRatio: p.rigidExpenditureRatio,
    },
    parameter: 'rigidExpenditureRatio',
  });
  const rigid = !edge && notDibaoOrTekun && rigidIncome && edgeAssets && rigidSpend;

  // --- Decision -------------------------------------------------------------------------------------------------
  let category: AssistanceCategory | null = null;
  let coverage: Assessment['coverage'] = 'NONE';
  let covered: string[] = [];
  let careLevel: CareLevel | undefined;
  let amountCents = 0;
  let components: AssessmentComponent[] | undefined;
  const allIds = () => h.members.map((m) => m.memberId);

  if (tekunIds.length > 0) {
    category = 'TEKUN';
    coverage = tekunIds.length === n ? 'HOUSEHOLD' : 'SINGLE_PERSON';
    covered = tekunIds;
    const tekunBp = toBp(p.tekunMultiplier);
    // Summed in fen × 1/10000 so 1.3 × standard is not rounded once per person before adding up.
    let amountFenBp = 0;
    for (const id of tekunIds) {
      const da = byId.get(id)!.dailyActivities;
      const unable = da ? DAILY_ACTIVITIES.reduce((k, a) => k + (da[a] ? 0 : 1), 0) : 0;
      const level = careLevelOf(unable);
      if (!careLevel || CARE_RANK[level] > CARE_RANK[careLevel]) careLevel = level;
      amountFenBp += standardCents * tekunBp + toFen(p.tekunCareStandard[level]) * BP;
      criteria.push({
        id: `tekun.careLevel.${id}`,
        description: da
          ? 'care level from 6 daily activities: all able → SELF_CARE, 1–3 unable → PARTIAL_CARE, ≥ 4 unable → ' +
            'FULL_CARE'
          : 'daily activities not recorded: SELF_CARE assumed until they are surveyed',
        passed: !!da,
        values: {
          memberId: id,
          unableActivities: unable,
          careLevel: level,
          dailyActivitiesRecorded: !!da,
          careStandard: p.tekunCareStandard[level],
        },
        parameter: `tekunCareStandard.${level}`,
      });
    }
    amountCents = amountFenBp / BP;
    criteria.push({
      id: 'tekun.amount',
      description: 'per covered person: tekunMultiplier × dibao standard + care standard of their level',
      passed: true,
      values: {
        dibaoStandard: standard,
        tekunMultiplier: p.tekunMultiplier,
        coveredPersons: tekunIds.length,
        monthlyAmount: fenToYuan(amountCents),
      },
      parameter: 'tekunMultiplier',
    });
    // The others are still assessed (docs/policy.md §3.6): the members left form a household of their own for DIBAO.
    const rest = h.members.filter((m) => !tekunIds.includes(m.memberId)).map((m) => m.memberId);
    if (rest.length > 0) {
      const restCents = rest.reduce((sum, id) => sum + (ownCents.get(id) ?? 0), 0);
      const restDibao = restCents < standardCents * rest.length;
      criteria.push({
        id: 'mixed.othersDibao',
        description:
          'members not covered as TEKUN: their counted income per person strictly below the dibao standard → DIBAO ' +
          'for them, paid the gap',
        passed: restDibao,
        values: {
          members: rest.length,
          countedMonthlyIncome: fenToYuan(restCents),
          perCapitaMonthlyIncome: fenToYuan(restCents / rest.length),
          dibaoStandard: standard,
        },
        parameter: standardParam,
      });
      if (restDibao) {
        const restAmount = standardCents * rest.length - restCents;
        components = [
          { category: 'TEKUN', memberIds: [...tekunIds], monthlyAmount: fenToYuan(amountCents) },
          { category: 'DIBAO', memberIds: rest, monthlyAmount: fenToYuan(restAmount) },
        ];
        amountCents += restAmount;
        covered = [...tekunIds, ...rest];
        coverage = 'HOUSEHOLD';
      }
    }
  } else if (meansTest) {
    category = 'DIBAO';
    coverage = 'HOUSEHOLD';
    covered = allIds();
    // (standard − per-capita) × n = standard × n − total: exact in fen.
    amountCents = standardCents * n - totalCents;
  } else if (singleIds.length > 0) {
    category = 'DIBAO';
    coverage = 'SINGLE_PERSON';
    covered = singleIds;
    amountCents = singleAmountCents;
  } else if (edge) {
    category = 'DIBAO_EDGE';
    coverage = 'HOUSEHOLD';
    covered = allIds();
  } else if (rigid) {
    category = 'RIGID_EXPENDITURE';
    coverage = 'HOUSEHOLD';
    covered = allIds();
  } else if (h.returnRiskType) {
    category = 'OTHER_HARDSHIP';
    coverage = 'HOUSEHOLD';
    covered = allIds();
  }

  if (h.returnRiskType) {
    // plan 一(一) last paragraph routes monitored households into DIBAO/TEKUN, DIBAO_EDGE or RIGID_EXPENDITURE by type.
    // The general definitions still apply to every household, so monitoring only adds a floor: a monitored
    // household meeting no category is OTHER_HARDSHIP, and one meeting a category keeps it whatever its type.
    criteria.push({
      id: 'returnRisk.mapping',
      description:
        category === 'OTHER_HARDSHIP'
          ? 'poverty-return monitored household meeting no other category: OTHER_HARDSHIP'
          : 'poverty-return monitored household meeting a category keeps it',
      passed: true,
      values: { returnRiskType: h.returnRiskType, category: category ?? 'none' },
    });
  }

  const result: Assessment = {
    category,
    coverage,
    coveredMemberIds: covered,
    monthlyAmount: fenToYuan(amountCents),
    perCapitaMonthlyIncome: perCapita,
    criteria,
    policyVersionId: policy.id,
    asOf,
  };
  if (careLevel) result.careLevel = careLevel;
  if (components) result.components = components;
  return result;
}
