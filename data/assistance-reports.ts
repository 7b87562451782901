// Omission and duplication reports for supervisors (docs/policy.md §7.4, "避免救助遗漏或重复救助"): who lacks an
// assistance the plan entitles them to (domain/entitlements.ts), and what was given twice for one period. Each line
// says why, in words, and names the person it is about.
import type { Db, Row } from './db';
import { ageOn } from '../domain/dates';
import {
  DEFAULT_MEDICAL_FIGURES,
  educationEntitlements,
  educationStage,
  medicalInsuranceSubsidy,
} from '../domain/entitlements';
import type { AssistanceCategory } from '../domain/glossary';
import type { Household, Residence } from '../domain/household';
import type { PolicyParameters } from '../domain/policy';

export interface OmissionLine {
  personId: string;
  name: string;
  recipientId: string;
  category: string;
  regionCode: string;
  missing: 'MEDICAL_SUBSIDY' | 'EDUCATION_AID';
  period: string;
  expected: unknown;
  explanation: string;
}

/** Covered members of active recipients in `region` with what was reported for them in `year`. */
function coveredPeople(db: Db, region: string, year: string) {
  const reported = (kind: string) =>
    db.raw(
      `exists (select 1 from assistance_records a where a.person_id = cp.person_id and a.kind = ?
                 and (a.period = ? or a.period like ?)) as ??`,
      [kind, year, `${year}-%`, `has_${kind.toLowerCase()}`],
    );
  return (
    db('recipients as r')
      .join('case_people as cp', 'cp.case_id', 'r.case_id')
      .join('people as p', 'p.id', 'cp.person_id')
      .leftJoin('cases as c', 'c.id', 'r.case_id')
      .leftJoin('households as h', 'h.id', 'r.household_id')
      .where('r.status', 'ACTIVE')
      .where('r.region_code', 'like', `${region}%`)
      // 单人保 covers the applicant alone (docs/glossary.md, coverage).
      .where((q) =>
        q.whereNot('r.coverage', 'SINGLE_PERSON').orWhereNull('r.coverage').orWhere('cp.relation', 'APPLICANT'),
      )
      .orderBy(['r.region_code', 'p.name', 'p.id'])
      .select(
        'r.id as recipient_id',
        'r.category',
        'r.region_code',
        'h.residence',
        'cp.person_id',
        'cp.member_key',
        'p.name',
        'p.birth_date',
        db.raw('coalesce(c.economy, h.economy) as economy'),
        reported('MEDICAL_SUBSIDY'),
        reported('EDUCATION_AID'),
      )
  );
}

export async function omissions(
  db: Db,
  opts: { region: string; year: string; today: string; parameters?: PolicyParameters },
): Promise<OmissionLine[]> {
  const rows: Row[] = await coveredPeople(db, opts.region, opts.year);
  const contribution = opts.parameters?.medicalInsuranceContribution ?? DEFAULT_MEDICAL_FIGURES.contribution;
  const fixedAmount = opts.parameters?.medicalSubsidyFixedAmount ?? DEFAULT_MEDICAL_FIGURES.fixedAmount;
  const out: OmissionLine[] = [];
  for (const r of rows) {
    const category = r.category as AssistanceCategory;
    const base = {
      personId: r.person_id,
      name: r.name,
      recipientId: r.recipient_id,
      category,
      regionCode: r.region_code,
      period: opts.year,
    };
    const medical = medicalInsuranceSubsidy({ category, contribution, fixedAmount });
    if (medical.kind !== 'NONE' && !r.has_medical_subsidy) {
      out.push({
        ...base,
        missing: 'MEDICAL_SUBSIDY',
        expected: medical,
        explanation:
          `${category}: ${medical.kind === 'FULL' ? 'full' : 'fixed'} medical insurance subsidy of ${medical.amount} ` +
          `yuan (plan 三(二)1); no MEDICAL_SUBSIDY reported for ${opts.year}`,
      });
    }
    const member = (r.economy as Household | null)?.members?.find((m) => m.memberId === r.member_key);
    const stage = member ? educationStage(member.studentLevel, ageOn(r.birth_date, opts.today)) : null;
    if (stage && !r.has_education_aid) {
      const benefits = educationEntitlements(
        { stage, category, residence: (r.residence ?? 'RURAL') as Residence, disabled: !!member?.disability },
        { targeted: true },
      );
      if (benefits.length)
        out.push({
          ...base,
          missing: 'EDUCATION_AID',
          expected: { stage, benefits: benefits.map((b) => b.code) },
          explanation:
            `${category} student (${stage}): ${benefits.map((b) => b.label).join('、')} (plan 三(二)2); ` +
            `no EDUCATION_AID reported for ${opts.year}`,
        });
    }
  }
  return out;
}

export interface DuplicateLine {
  type: 'ASSISTANCE_TWICE' | 'MONTHLY_PAID_TWICE' | 'TWO_ACTIVE_RECIPIENTS' | 'ADVANCES_SAME_MONTH';
  personId: string;
  name: string;
  kind: string;
  period: string;
  entries: string[];
  explanation: string;
}

export async function duplicates(db: Db, opts: { region: string }): Promise<DuplicateLine[]> {
  const like = `${opts.region}%`;
  const [records, monthly, recipients, advances] = await Promise.all([
    db.raw(
      `select a.person_id, p.name, a.kind, a.period, array_agg(a.id order by a.granted_on, a.id) entries,
              array_agg(distinct a.department) departments
         from assistance_records a join people p on p.id = a.person_id
        where a.region_code like ?
        group by a.person_id, p.name, a.kind, a.period having count(*) > 1
        order by a.period, a.person_id`,
      [like],
    ),
    db.raw(
      `select d.person_id, p.name, d.month, array[d.duplicate_of, d.id] entries
         from payments d join people p on p.id = d.person_id
        where d.duplicate_of is not null and d.region_code like ? order by d.month, d.person_id`,
      [like],
    ),
    db.raw(
      `select cp.person_id, p.name, array_agg(r.id order by r.created_at) entries, array_agg(r.category) categories
         from recipients r join case_people cp on cp.case_id = r.case_id join people p on p.id = cp.person_id
        where r.status = 'ACTIVE' and r.region_code like ?
        group by cp.person_id, p.name having count(*) > 1 order by cp.person_id`,
      [like],
    ),
    db.raw(
      `select x.person_id, p.name, x.month, array_agg(x.id order by x.created_at) entries
         from payments x join people p on p.id = x.person_id
        where x.kind = 'EMERGENCY_ADVANCE' and x.region_code like ?
        group by x.person_id, p.name, x.month having count(*) > 1 order by x.month, x.person_id`,
      [like],
    ),
  ]);
  return [
    ...records.rows.map((r: Row) => ({
      type: 'ASSISTANCE_TWICE' as const,
      personId: r.person_id,
      name: r.name,
      kind: r.kind,
      period: r.period,
      entries: r.entries,
      explanation: `${r.kind} reported ${r.entries.length} times for ${r.period} (by ${r.departments.join(', ')})`,
    })),
    ...monthly.rows.map((r: Row) => ({
      type: 'MONTHLY_PAID_TWICE' as const,
      personId: r.person_id,
      name: r.name,
      kind: 'MONTHLY',
      period: r.month,
      entries: r.entries,
      explanation: `two MONTHLY roster lines for ${r.month}, paid before one line per person and month was enforced`,
    })),
    ...recipients.rows.map((r: Row) => ({
      type: 'TWO_ACTIVE_RECIPIENTS' as const,
      personId: r.person_id,
      name: r.name,
      kind: r.categories.join('+'),
      period: 'now',
      entries: r.entries,
      explanation:
        `covered by ${r.entries.length} active recipients (${r.categories.join(', ')}): ` + 'terminate all but one',
    })),
    ...advances.rows.map((r: Row) => ({
      type: 'ADVANCES_SAME_MONTH' as const,
      personId: r.person_id,
      name: r.name,
      kind: 'EMERGENCY_ADVANCE',
      period: r.month,
      entries: r.entries,
      explanation: `${r.entries.length} emergency advances in ${r.month}`,
    })),
  ];
}
