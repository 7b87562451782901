// The authorization matrix on the real stack: every operation of /openapi.json × every role × (own township, other
// township, county), each answer checked against docs/access.md (domain/access.ts READ_ACCESS for what a role may
// read, the routes' declared roles for what it may call, the scope rules for where): a role outside a route's roles
// gets 403; another township's object answers exactly what a made-up id answers (404, never 403 or 2xx); lists read
// from another township hold nothing of the fixture; and no role that reads masked ID numbers finds one of the
// fixture's ID numbers, birth dates or full names in any answer.
import { randomUUID } from 'node:crypto';
import { startStack, Stack } from '../support/stack';
import { idNumber } from '../support/fixtures';
import { READ_ACCESS, routeRoles, SCOPES, type Scope } from '../../domain/access';
import { ROLES, type Role } from '../../domain/glossary';
import type { User } from '../../api/http/auth';

jest.setTimeout(600_000);

const OWN = '410721103'; // 大召营镇: no other test file works there, so its lists hold only this fixture
const OTHER = '410721104';
const COUNTY = '410721';
const REGION_OF: Record<Scope, string> = { 'own township': OWN, 'other township': OTHER, county: COUNTY };

const people = [
  { memberId: 'm1', name: '宁采臣', birthDate: '1958-11-23', sex: 'M' as const, relation: 'APPLICANT' },
  { memberId: 'm2', name: '聂小倩', birthDate: '1961-02-07', sex: 'F' as const, relation: 'SPOUSE' },
].map((p) => ({ ...p, idNumber: idNumber(p.birthDate, p.sex) }));
const emergencyPerson = { name: '燕赤霞', birthDate: '1990-08-29', idNumber: idNumber('1990-08-29') };
const refusedPerson = {
  memberId: 'm1',
  name: '夏侯青',
  birthDate: '1966-05-04',
  sex: 'F' as const,
  relation: 'APPLICANT',
  idNumber: idNumber('1966-05-04', 'F'),
};
const secretsOf = [...people, emergencyPerson, refusedPerson];

let stack: Stack;
const fx: Record<string, string> = {};

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function until<T>(what: string, check: () => Promise<T>): Promise<Exclude<NonNullable<T>, false>> {
  for (let i = 0; i < 300; i++) {
    const v = await check();
    if (v) return v as Exclude<NonNullable<T>, false>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function buildFixture() {
  const cw = stack.token('caseworker', OWN, 'matrix-cw');
  const rv = stack.token('reviewer', OWN, 'matrix-rv');
  const officer = stack.token('county_officer', COUNTY, 'matrix-co');
  const admin = stack.token('admin', COUNTY, 'matrix-admin');
  const ok = async (r: Promise<{ status: number; body: any }>, what: string) => {
    const a = await r;
    if (a.status >= 300) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const decided = async (members: typeof people, income: number, approve: boolean): Promise<string> => {
    const { caseId } = await ok(
      stack.call('POST', '/api/v1/applications', {
        token: cw,
        body: {
          regionCode: OWN,
          source: 'SELF_DECLARED',
          receivedOn: daysAgo(14),
          people: members.map((p) => ({ memberId: p.memberId, name: p.name, idNumber: p.idNumber })),
          household: {
            residence: 'RURAL',
            members: members.map((p) => ({
              memberId: p.memberId,
              relation: p.relation,
              birthDate: p.birthDate,
              laborCapacity: 'NONE',
              seriousIllness: false,
              studentLevel: 'NONE',
              employed: false,
            })),
            incomes: [{ memberId: 'm1', kind: 'WAGES', monthlyAmount: income }],
            assets: { deposits: 1000, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0 },
            rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0 },
            legalSupporters: [],
          },
        },
      }),
      'application',
    );
    const complete = async (type: string, token: string, outcome: string, data: object) => {
      const id = `${caseId}:${type}:1`;
      await until(
        `${type} task`,
        async () => (await stack.call('GET', `/api/v1/tasks/${id}`, { token })).status === 200,
      );
      return ok(stack.call('POST', `/api/v1/tasks/${id}/complete`, { token, body: { outcome, data } }), type);
    };
    await complete('accept', cw, 'ACCEPTED', { effectiveOn: daysAgo(13) });
    await complete('homeVisit', cw, 'DONE', { effectiveOn: daysAgo(12) });
    await complete('economicCheck', cw, 'DONE', { effectiveOn: daysAgo(12) });
    const assessed = await ok(stack.call('GET', `/api/v1/cases/${caseId}`, { token: rv }), 'case');
    if (approve) {
      await complete('firstReview', rv, 'RECOMMEND_APPROVAL', { effectiveOn: daysAgo(11) });
      await complete('confirm', rv, 'APPROVED', {
        category: assessed.assessment?.category ?? 'DIBAO',
        monthlyAmount: assessed.assessment?.monthlyAmount ?? 220,
      });
    } else {
      await complete('firstReview', rv, 'RECOMMEND_REFUSAL', { effectiveOn: daysAgo(11) });
      await complete('confirm', rv, 'REFUSED', { reasons: ['家庭人均收入高于当地低保标准'], effectiveOn: daysAgo(10) });
    }
    return caseId;
  };
  fx.case = await decided(people, 150, true);
  const recipient = await until('recipient', async () => stack.db('recipients').where({ case_id: fx.case }).first());
  fx.recipient = recipient.id;
  const row = await stack.db('cases').where({ id: fx.case }).first('household_id');
  fx.household = row.household_id;
  fx.person = (await stack.db('case_people').where({ case_id: fx.case, relation: 'APPLICANT' }).first()).person_id;
  // A refusal, for its written notice (its content names the applicant; its PDF carries name and ID number).
  const refused = await decided([refusedPerson], 3000, false);
  const notice = await until('refusal notice', async () => stack.db('notices').where({ case_id: refused }).first('id'));
  fx.notice = notice.id;

  const emergency = await ok(
    stack.call('POST', '/api/v1/emergencies', {
      token: cw,
      body: {
        regionCode: OWN,
        person: { name: emergencyPerson.name, idNumber: emergencyPerson.idNumber },
        residence: 'RURAL',
        hardship: 'ACCIDENT',
        description: '交通事故住院',
        requestedAmount: 300,
      },
    }),
    'emergency',
  );
  fx.emergency = emergency.caseId;
  const attachment = await ok(
    stack.call('POST', `/api/v1/emergencies/${fx.emergency}/attachments`, {
      token: cw,
      body: {
        fileName: 'bill.txt',
        contentType: 'text/plain',
        contentBase64: Buffer.from('医院票据').toString('base64'),
      },
    }),
    'attachment',
  );
  fx.attachment = attachment.attachmentId ?? attachment.ref?.attachmentId;

  const escalated = await ok(
    stack.call('POST', `/api/v1/cases/${fx.case}/escalations`, {
      token: officer,
      body: { reason: '医疗支出大', requestedBy: '县民政局', departments: ['HEALTH'], proposal: '提高救助金额' },
    }),
    'escalation',
  );
  fx.conference = escalated.conferenceId;
  const opinion = await until('opinion task', async () =>
    stack.db('tasks').where({ case_id: fx.conference, type: 'conferenceOpinion', department: 'HEALTH' }).first('id'),
  );
  fx.task = opinion.id;
  const user = await ok(
    stack.call('POST', '/api/v1/users', {
      token: admin,
      body: {
        username: `matrix-${process.pid}`,
        name: '矩阵经办人',
        role: 'caseworker',
        regionCode: OWN,
        password: 'matrix-password-1',
      },
    }),
    'user',
  );
  fx.user = user.id;
}

/** The fixture's object for a path parameter, or a made-up one of the same form. */
function fill(path: string, madeUp: boolean): { url: string; township: boolean } {
  const uuid = () => randomUUID();
  let township = false;
  const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const real = (v: string | undefined, fake: string) => {
      township = true;
      return madeUp || !v ? fake : v;
    };
    if (name === 'attachmentId') return real(fx.attachment, uuid());
    if (path.startsWith('/cases/')) return real(fx.case, uuid());
    if (path.startsWith('/tasks/')) return real(fx.task, `${uuid()}:conferenceOpinion:HEALTH`);
    if (path.startsWith('/notices/')) return real(fx.notice, `N-${uuid()}`);
    if (path.startsWith('/emergencies/')) return real(fx.emergency, uuid());
    if (path.startsWith('/escalations/')) return real(fx.conference, uuid());
    if (path.startsWith('/recipients/')) return real(fx.recipient, uuid());
    if (path.startsWith('/households/')) return real(fx.household, uuid());
    if (path.startsWith('/people/')) return real(fx.person, uuid());
    if (path.startsWith('/users/')) return real(fx.user, uuid());
    if (path.startsWith('/processes/')) return 'application';
    if (path.startsWith('/calendar/years/')) return '2026';
    return uuid(); // a principal's own object (its notifications): not a township's
  });
  return { url, township };
}

const QUERY: Record<string, string> = {
  '/calendar/working-days/add': 'from=2026-12-01&days=3',
  '/people': `name=${encodeURIComponent('宁')}`,
  '/payments': `month=${new Date().toISOString().slice(0, 7)}`,
  '/payments/roster.csv': `month=${new Date().toISOString().slice(0, 7)}`,
  '/payments/roster.xlsx': `month=${new Date().toISOString().slice(0, 7)}`,
  '/payments/roster.pdf': `month=${new Date().toISOString().slice(0, 7)}`,
};

/**
 * Narrower than the region, as docs/access.md says: a department reads only its department's tasks and escalations,
 * an integrator only the escalations it asked for.
 */
function mayBeAbsent(role: Role, path: string): boolean {
  if (role === 'integrator' && path.startsWith('/escalations/')) return true;
  return false;
}

/** Whom or what the fixture holds that a masked role may never read, and that no other township may see at all. */
function identifiers(names: boolean): string[] {
  return [
    ...secretsOf.flatMap((p) => [p.idNumber, p.birthDate, p.birthDate.replace(/-/g, '')]),
    ...(names ? secretsOf.map((p) => p.name) : []),
  ];
}

beforeAll(async () => {
  stack = await startStack();
  await buildFixture();
});
afterAll(async () => {
  await stack?.stop();
});

it('answers every route × role × township as docs/access.md allows, and leaks nothing', async () => {
  const doc = (await stack.call('GET', '/openapi.json')).body;
  const operations = routeRoles(doc).filter((o) => o.path !== '/auth/login');
  // GET /cases/{id} of the emergency case too: it must hide what GET /emergencies/{id} hides.
  const variants = [...operations, { method: 'GET', path: '/cases/{id}#emergency', roles: 'any' as const }];
  const failures: string[] = [];
  let cells = 0;
  let leaks = 0;
  let scanned = 0;
  const principal = (role: Role, scope: Scope): string => {
    const user: User = {
      sub: `matrix-${role}-${scope.replace(' ', '-')}`,
      role,
      region: REGION_OF[scope],
      ...(role === 'department' ? { department: 'HEALTH' as const } : {}),
    };
    return stack.sign(user);
  };

  for (const op of variants) {
    const [path, variant] = op.path.split('#');
    for (const role of ROLES) {
      const mayCall = role === 'admin' || op.roles === 'any' || op.roles.includes(role);
      for (const scope of SCOPES) {
        cells++;
        const token = principal(role, scope);
        const send = async (madeUp: boolean) => {
          const { url } = fill(path, madeUp);
          const u = variant === 'emergency' ? url.replace(fx.case, fx.emergency) : url;
          const q = QUERY[path];
          const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
          return stack.call(op.method, `/api/v1${u}${q ? `?${q}` : ''}`, { token, body });
        };
        const cell = `${op.method} ${op.path} as ${role} (${scope})`;
        const a = await send(false);
        const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
        const { township } = fill(path, false);
        if (a.status >= 500) failures.push(`${cell}: ${a.status}`);
        else if (!mayCall) {
          if (a.status !== 403) failures.push(`${cell}: ${a.status}, the route is not open to ${role} (403)`);
        } else if (scope === 'other township') {
          if (township) {
            const b = await send(true);
            if (a.status >= 200 && a.status < 300) failures.push(`${cell}: ${a.status} for another township's object`);
            else if (a.status === 403) failures.push(`${cell}: 403 discloses another township's object (404)`);
            else if (a.status !== b.status || a.body?.error?.code !== b.body?.error?.code)
              failures.push(`${cell}: ${a.status} ${a.body?.error?.code} but a made-up id gets ${b.status}`);
          }
          // Whatever the route, nothing of another township's fixture comes back.
          const seen = [...identifiers(true), ...Object.values(fx).filter(Boolean)].filter((s) => text.includes(s));
          if (seen.length) {
            leaks++;
            failures.push(`${cell}: shows another township's ${seen.join(', ')}`);
          }
        } else if (township && op.method === 'GET' && a.status !== 200 && !mayBeAbsent(role, path)) {
          failures.push(`${cell}: ${a.status} for an object in its region (200)`);
        }
        // The roles that handle the case read it whole: the projection takes nothing from them.
        if (op.method === 'GET' && op.path === '/cases/{id}' && scope !== 'other township' && mayCall)
          if (
            READ_ACCESS[role].idNumber === 'full' &&
            ![people[0].idNumber, people[1].birthDate, people[0].name].every((x) => text.includes(x))
          )
            failures.push(`${cell}: the whole record is not there for a role that reads it`);
        if (a.status === 200 && READ_ACCESS[role].idNumber === 'masked') {
          scanned++;
          // A payment roster names the household head in full (docs/access.md); binary documents are not scanned.
          const roster = path.startsWith('/payments/roster');
          const binary = /\.(pdf|xlsx)$/.test(path);
          const seen = binary
            ? []
            : identifiers(READ_ACCESS[role].name === 'masked' && !roster).filter((s) => text.includes(s));
          if (seen.length) {
            leaks++;
            failures.push(`${cell}: a masked role reads ${seen.join(', ')}`);
          }
        }
      }
    }
  }
  console.log(
    `access matrix: ${cells} cells checked (${variants.length} operations × ${ROLES.length} roles × ` +
      `${SCOPES.length} scopes), ${scanned} answers to masked roles scanned, ${leaks} leaks, ` +
      `${failures.length} failures`,
  );
  expect(failures).toEqual([]);
});
