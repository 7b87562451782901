// Applications through the topology's API, and what each should leave behind once decided: the rows a case makes,
// by id, so the test compares sets rather than counting (a doubled row is a second id or a second audit entry).
import { signToken } from '../../api/http/auth';
import { addCalendarDays, shanghaiDate } from '../../domain/calendar';
import type { Role } from '../../domain/glossary';
import { singlePersonApplication } from '../support/fixtures';

export const today = shanghaiDate(Date.now());
export const daysAgo = (n: number) => addCalendarDays(today, -n);

export interface CaseCall {
  status: number;
  body: any;
  ms: number;
}

export function api(t: { apiBase: string; jwtSecret: string }) {
  const region = (role: Role) => (role === 'county_officer' || role === 'supervisor' ? '410721' : '410721100');
  const token = (role: Role) => signToken(t.jwtSecret, { sub: `topology-test-${role}`, role, region: region(role) });
  return async (method: string, path: string, role: Role, body?: unknown): Promise<CaseCall> => {
    const t0 = Date.now();
    const res = await fetch(`${t.apiBase}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text,
      ms: Date.now() - t0,
    };
  };
}

export type Outcome = 'APPROVED' | 'REFUSED';

/** The step of a case's process, as the README walk-through takes it (publicity over, so confirm opens at once). */
export const STEPS: Record<
  string,
  { role: Role; outcome: (o: Outcome) => string; data: (o: Outcome) => Record<string, unknown> }
> = {
  accept: { role: 'caseworker', outcome: () => 'ACCEPTED', data: () => ({ effectiveOn: daysAgo(11) }) },
  homeVisit: { role: 'caseworker', outcome: () => 'DONE', data: () => ({ effectiveOn: daysAgo(10) }) },
  economicCheck: { role: 'caseworker', outcome: () => 'DONE', data: () => ({ effectiveOn: daysAgo(10) }) },
  firstReview: {
    role: 'reviewer',
    outcome: (o) => (o === 'APPROVED' ? 'RECOMMEND_APPROVAL' : 'RECOMMEND_REFUSAL'),
    data: () => ({ effectiveOn: daysAgo(9) }),
  },
  // The township confirms by default (confirmingLevel TOWNSHIP, docs/policy.md §2.1): its reviewer, not the county.
  confirm: {
    role: 'reviewer',
    outcome: (o) => o,
    data: (o) =>
      o === 'APPROVED'
        ? { category: 'DIBAO', monthlyAmount: 220 }
        : // A refusal departs from the assessment (DIBAO, 220 yuan): it says why (docs/policy.md §2.1).
          { reasons: ['家庭人均收入高于当地低保标准'], deviationReason: '入户核实有未申报的经营收入' },
  },
  refusalNotice: { role: 'caseworker', outcome: () => 'ISSUED', data: () => ({}) },
};

export const applicationBody = () => singlePersonApplication({ receivedOn: daysAgo(12) });

/** Tasks, deadlines and notices an application case has once its process is through. */
export function expectedRows(caseId: string, outcome: Outcome) {
  const taskTypes = [
    'accept',
    'homeVisit',
    'economicCheck',
    'firstReview',
    'confirm',
    ...(outcome === 'REFUSED' ? ['refusalNotice'] : []),
  ];
  const deadlineKinds = [
    'confirmation',
    'firstReviewOpinion',
    'wholeCase',
    ...(outcome === 'REFUSED' ? ['refusalNotice'] : []),
  ];
  return {
    tasks: taskTypes
      .map((type) => ({ id: `${caseId}:${type}:1`, status: 'COMPLETED', outcome: STEPS[type].outcome(outcome) }))
      .sort(byId),
    deadlines: deadlineKinds.map((kind) => ({ id: `${caseId}:${kind}:1`, status: 'met' })).sort(byId),
    decisions: [{ id: `${caseId}:decision:1`, outcome }],
    notices: outcome === 'REFUSED' ? [{ id: `${caseId}:REFUSAL:1`, status: 'ISSUED' }] : [],
    taskCompletionsAudited: taskTypes.length,
  };
}

export const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
