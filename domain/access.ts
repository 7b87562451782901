// What each role may read of a person and a case (docs/access.md is rendered from this file and kept in sync by
// test/unit/access.test.ts). Pure, so the one API layer that applies it to every JSON answer (api/http/openapi.ts)
// and the authorization-matrix test (test/e2e/access-matrix.test.ts) share the same rules: no route masks on its own.
import { ROLES, type Role } from './glossary';
import { maskIdNumber, maskName } from './masking';

export interface ReadAccess {
  /** 'masked': 410721********0021, the 8 birth-date digits hidden. */
  idNumber: 'full' | 'masked';
  /** 'masked': the surname only, 张** (domain/masking.ts). */
  name: 'full' | 'masked';
  /** Birth date, sex and age. They give back what a masked ID number hides, so never true beside a masked one. */
  birthDateAndSex: boolean;
  /** The household's declared economy (incomes, assets, rigid expenditure) and the assessment computed from it. */
  householdEconomy: boolean;
  /** The case's audit timeline (who did what, when, with what data). */
  timeline: boolean;
  why: string;
}

const HANDLES_THE_CASE = {
  idNumber: 'full',
  name: 'full',
  birthDateAndSex: true,
  householdEconomy: true,
  timeline: true,
} as const;

export const READ_ACCESS: Record<Role, ReadAccess> = {
  caseworker: { ...HANDLES_THE_CASE, why: 'takes the application, visits, checks the economy: works on the record' },
  reviewer: { ...HANDLES_THE_CASE, why: 'reviews and confirms the decision on the whole record' },
  county_officer: { ...HANDLES_THE_CASE, why: 'approves and answers for the decision at county level' },
  admin: { ...HANDLES_THE_CASE, why: 'administers users, calendar and policy versions; repairs records' },
  village_assistant: {
    idNumber: 'masked',
    name: 'masked',
    birthDateAndSex: false,
    householdEconomy: true,
    timeline: true,
    why: 'helps gather the household economy in the village; does not decide, needs no identity in full',
  },
  supervisor: {
    idNumber: 'masked',
    name: 'masked',
    birthDateAndSex: false,
    householdEconomy: false,
    timeline: true,
    why: 'oversees deadlines and handling (who did what, when), not the household',
  },
  department: {
    idNumber: 'masked',
    name: 'masked',
    birthDateAndSex: false,
    householdEconomy: false,
    timeline: false,
    why: 'gives an opinion or reports assistance it granted; the case file stays with civil affairs',
  },
  integrator: {
    idNumber: 'masked',
    name: 'masked',
    birthDateAndSex: false,
    householdEconomy: false,
    timeline: false,
    why: 'a machine client: status, tasks and decisions, never an identity in full',
  },
};

export const seesFullId = (role: Role): boolean => READ_ACCESS[role].idNumber === 'full';
/** The roles that read the whole record (full ID number): the ones that may download documents carrying it. */
export const FULL_RECORD_ROLES: readonly Role[] = ROLES.filter(seesFullId);

/** Keys under which an answer carries these data, wherever they sit (nested household, timeline `after`, …). */
export const ID_NUMBER_KEYS: ReadonlySet<string> = new Set(['idNumber']);
export const BIRTH_KEYS: ReadonlySet<string> = new Set(['birthDate', 'birth_date', 'sex', 'age']);
export const ECONOMY_KEYS: ReadonlySet<string> = new Set([
  'economy',
  'assessment',
  'incomes',
  'assets',
  'rigidExpenditure12m',
  'legalSupporters',
]);
export const TIMELINE_KEYS: ReadonlySet<string> = new Set(['timeline']);
/** Always a person's name. */
export const PERSON_NAME_KEYS: ReadonlySet<string> = new Set([
  'applicantName',
  'personName',
  'subjectName',
  'headName',
]);
/** `name` is a person's when its object carries one of these (a region or a user has a name too). */
const PERSON_MARKERS = ['idNumber', 'personId', 'memberId', 'relation', 'birthDate', 'sex'];

/**
 * An 18-character ID number anywhere in a string (a notice's text, a free comment): region, a birth date of 19xx/20xx,
 * sequence, check character. Masked too, so no text can carry one past the projection.
 */
const ID_IN_TEXT =
  /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g;

/**
 * A JSON answer as `role` may read it (READ_ACCESS): keys above masked or emptied all the way down; key names and
 * the shape stay, so a client finds `birthDate: null` rather than a missing field.
 */
export function projectForRole<T>(value: T, role: Role): T {
  const a = READ_ACCESS[role];
  if (a.idNumber === 'full' && a.name === 'full' && a.birthDateAndSex && a.householdEconomy && a.timeline) return value;
  return project(value, a) as T;
}

function project(v: unknown, a: ReadAccess): unknown {
  if (typeof v === 'string') return a.idNumber === 'masked' ? v.replace(ID_IN_TEXT, maskIdNumber) : v;
  if (Array.isArray(v)) return v.map((x) => project(x, a));
  if (!v || typeof v !== 'object' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  const person = PERSON_MARKERS.some((k) => k in o);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (ECONOMY_KEYS.has(k) && !a.householdEconomy) out[k] = null;
    else if (TIMELINE_KEYS.has(k) && !a.timeline) out[k] = [];
    else if (BIRTH_KEYS.has(k) && !a.birthDateAndSex) out[k] = null;
    else if (ID_NUMBER_KEYS.has(k) && a.idNumber === 'masked') out[k] = typeof x === 'string' ? maskIdNumber(x) : x;
    else if ((PERSON_NAME_KEYS.has(k) || (k === 'name' && person)) && a.name === 'masked')
      out[k] = typeof x === 'string' ? maskName(x) : x;
    else out[k] = project(x, a);
  }
  return out;
}

const yes = (b: boolean) => (b ? 'yes' : '—');

/** The matrix as the Markdown table of docs/access.md. */
export function renderReadMatrix(): string {
  const rows = ROLES.map((r) => {
    const a = READ_ACCESS[r];
    const cells = [`\`${r}\``, a.idNumber, a.name, yes(a.birthDateAndSex), yes(a.householdEconomy), yes(a.timeline)];
    return `| ${[...cells, a.why].join(' | ')} |`;
  });
  return [
    '| role | ID number | name | birth date, sex, age | household economy, assessment | timeline | why |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * How a route may answer a principal for an object it names (the scope rules of docs/access.md): `allowed` the
 * statuses, by where the principal sits relative to the object's township.
 */
export type Scope = 'own township' | 'other township' | 'county';
export const SCOPES: readonly Scope[] = ['own township', 'other township', 'county'];

type Operation = { 'x-roles'?: Role[] } | undefined;
/** An OpenAPI document, as far as these functions read it. */
export interface OpenApiLike {
  paths?: object;
}

/** Who may call what: every operation of /openapi.json with the roles its declaration names (`x-roles`). */
export function routeRoles(doc: OpenApiLike): { method: string; path: string; roles: readonly Role[] | 'any' }[] {
  return Object.entries((doc.paths ?? {}) as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      op && ['get', 'post', 'put', 'patch', 'delete'].includes(method)
        ? [{ method: method.toUpperCase(), path, roles: op['x-roles'] ?? ('any' as const) }]
        : [],
    ),
  );
}

export function renderRouteMatrix(doc: OpenApiLike): string {
  const rows = routeRoles(doc).map(({ method, path, roles }) => {
    const cells = ROLES.map((r) => (roles === 'any' || roles.includes(r) || r === 'admin' ? '✓' : '—'));
    return `| \`${method} ${path}\` | ${cells.join(' | ')} |`;
  });
  return [`| route | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => '---').join('|')}|`, ...rows].join('\n');
}
