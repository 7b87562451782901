// 一户（人）一条救助链 (docs/policy.md §7.4): every assistance a household or a person received, from every path —
// civil-affairs determinations and payments (monthly roster, emergency advance, stages, conference raises), and what
// the departments reported (assistance_records) — on one timeline, with totals.
import type { Db, Row } from './db';
import { iso } from './db';
import { fenToYuan, toFen } from '../domain/money';

export interface ChainEntry {
  /** The day it happened: decision date, payment date (else the first of its month), date granted. */
  on: string;
  type: 'DECISION' | 'PAYMENT' | 'ASSISTANCE';
  /** Payment kind (MONTHLY, EMERGENCY_ADVANCE …), assistance kind (MEDICAL_SUBSIDY …) or the decision outcome. */
  kind: string;
  source: string; // CIVIL_AFFAIRS or the reporting department
  amount: number | null;
  period: string | null;
  caseId: string | null;
  personId: string | null;
  ref: string;
}

export interface Chain {
  cases: Row[];
  payments: Row[];
  decisions: Row[];
  records: Row[];
  timeline: ChainEntry[];
  totals: { total: number; byMonth: Record<string, number>; byKind: Record<string, number> };
}

function assemble(cases: Row[], payments: Row[], decisions: Row[], records: Row[]): Chain {
  const timeline: ChainEntry[] = [
    ...decisions.map((d) => ({
      on: d.decided_on,
      type: 'DECISION' as const,
      kind: d.outcome,
      source: 'CIVIL_AFFAIRS',
      amount: d.monthly_amount == null ? null : Number(d.monthly_amount),
      period: d.start_month ?? null,
      caseId: d.case_id,
      personId: null,
      ref: d.id,
    })),
    ...payments.map((p) => ({
      on: p.details?.paidOn ?? `${p.month}-01`,
      type: 'PAYMENT' as const,
      kind: p.kind,
      source: 'CIVIL_AFFAIRS',
      amount: Number(p.amount),
      period: p.month,
      caseId: p.case_id ?? null,
      personId: p.person_id ?? null,
      ref: p.id,
    })),
    ...records.map((r) => ({
      on: r.granted_on,
      type: 'ASSISTANCE' as const,
      kind: r.kind,
      source: r.department,
      amount: r.amount == null ? null : Number(r.amount),
      period: r.period,
      caseId: null,
      personId: r.person_id,
      ref: r.id,
    })),
  ].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.ref < b.ref ? -1 : 1));
  // Summed in fen, shown in yuan; department amounts count under their kind.
  const byMonth: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const e of timeline) {
    if (e.type === 'DECISION' || e.amount == null) continue;
    const fen = toFen(e.amount);
    const month = e.on.slice(0, 7);
    byMonth[month] = (byMonth[month] ?? 0) + fen;
    byKind[e.kind] = (byKind[e.kind] ?? 0) + fen;
    total += fen;
  }
  for (const k of Object.keys(byMonth)) byMonth[k] = fenToYuan(byMonth[k]);
  for (const k of Object.keys(byKind)) byKind[k] = fenToYuan(byKind[k]);
  return { cases, payments, decisions, records, timeline, totals: { total: fenToYuan(total), byMonth, byKind } };
}

const CASE_COLUMNS = ['cases.id', 'cases.process', 'cases.status', 'cases.region_code', 'cases.received_on'];
const DECISION_COLUMNS = [
  'decisions.id',
  'decisions.case_id',
  'decisions.outcome',
  'decisions.category',
  'decisions.monthly_amount',
  'decisions.start_month',
  'decisions.decided_on',
  'decisions.decided_by',
];

/** Everything of the household and of everyone who ever lived in it. */
export async function householdChain(db: Db, householdId: string): Promise<Chain> {
  const people = db('members').where({ household_id: householdId }).select('person_id');
  const [cases, payments, decisions, records] = await Promise.all([
    db('cases').where({ household_id: householdId }).orderBy('created_at').select(CASE_COLUMNS),
    db('payments')
      .where({ household_id: householdId })
      .orderBy([{ column: 'month' }, { column: 'created_at' }]),
    db('decisions')
      .join('cases', 'cases.id', 'decisions.case_id')
      .where('cases.household_id', householdId)
      .orderBy('decisions.decided_on')
      .select(DECISION_COLUMNS),
    db('assistance_records')
      .where((q) => q.where({ household_id: householdId }).orWhereIn('person_id', people))
      .orderBy([{ column: 'granted_on' }, { column: 'id' }]),
  ]);
  return assemble(cases, payments, decisions, records);
}

/** Everything of one person: their cases (as applicant or member), what was paid on them, what departments gave. */
export async function personChain(db: Db, personId: string): Promise<Chain> {
  const theirCases = db('case_people').where({ person_id: personId }).select('case_id');
  const [cases, payments, decisions, records] = await Promise.all([
    db('cases').whereIn('id', theirCases).orderBy('created_at').select(CASE_COLUMNS),
    db('payments')
      .where((q) => q.where({ person_id: personId }).orWhereIn('case_id', theirCases))
      .orderBy([{ column: 'month' }, { column: 'created_at' }]),
    db('decisions').whereIn('case_id', theirCases).orderBy('decided_on').select(DECISION_COLUMNS),
    db('assistance_records')
      .where({ person_id: personId })
      .orderBy([{ column: 'granted_on' }, { column: 'id' }]),
  ]);
  return assemble(cases, payments, decisions, records);
}

/** A chain as the API shows it. */
export function chainView(c: Chain) {
  return {
    cases: c.cases.map((x) => ({
      id: x.id,
      process: x.process,
      status: x.status,
      regionCode: x.region_code,
      receivedOn: x.received_on,
    })),
    decisions: c.decisions.map((d) => ({
      id: d.id,
      caseId: d.case_id,
      outcome: d.outcome,
      category: d.category,
      monthlyAmount: d.monthly_amount,
      startMonth: d.start_month,
      decidedOn: d.decided_on,
      decidedBy: d.decided_by,
    })),
    assistance: c.records.map((r) => ({
      id: r.id,
      personId: r.person_id,
      kind: r.kind,
      department: r.department,
      reference: r.reference,
      period: r.period,
      grantedOn: r.granted_on,
      amount: r.amount == null ? null : Number(r.amount),
      details: r.details ?? null,
      batchId: r.batch_id,
      reportedAt: iso(r.created_at),
    })),
    timeline: c.timeline,
    totals: c.totals,
  };
}
