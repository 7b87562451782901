// The read matrix (domain/access.ts) as it masks, and docs/access.md as rendered from it and from /openapi.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';
import {
  FULL_RECORD_ROLES,
  projectForRole,
  READ_ACCESS,
  renderReadMatrix,
  renderRouteMatrix,
} from '../../domain/access';
import { ROLES } from '../../domain/glossary';
import { openApiDocument } from '../support/openapi';

const record = {
  caseId: 'c1',
  applicantName: '王秀英',
  household: {
    economy: { members: [{ memberId: 'm1', birthDate: '1975-06-15' }], incomes: [{ monthlyAmount: 200 }] },
    members: [{ memberId: 'm1', name: '王秀英', idNumber: '410721197506150021', birthDate: '1975-06-15', sex: 'F' }],
  },
  assessment: { perCapitaIncome: 200 },
  timeline: [{ action: 'case.submitted', after: { note: '身份证 410721197506150021 已核' } }],
  regions: [{ code: '410721100', name: '七里营镇' }],
};

describe('projectForRole', () => {
  it('gives the roles that handle the case the record untouched', () => {
    for (const role of FULL_RECORD_ROLES) expect(projectForRole(record, role)).toBe(record);
  });

  it.each(ROLES.filter((r) => READ_ACCESS[r].idNumber === 'masked'))(
    '%s: masked ID and name, no birth date or sex anywhere, no ID number in any text',
    (role) => {
      const out = projectForRole(record, role);
      const text = JSON.stringify(out);
      expect(text).not.toContain('410721197506150021');
      expect(text).not.toContain('1975-06-15');
      expect(text).not.toContain('王秀英');
      expect(out.household.members[0]).toEqual(
        expect.objectContaining({ name: '王**', idNumber: '410721********0021', birthDate: null, sex: null }),
      );
      expect(out.applicantName).toBe('王**');
      // A region's name is not a person's.
      expect(out.regions[0].name).toBe('七里营镇');
      expect(out.household.economy === null).toBe(!READ_ACCESS[role].householdEconomy);
      expect(out.assessment === null).toBe(!READ_ACCESS[role].householdEconomy);
      expect(out.timeline.length === 0).toBe(!READ_ACCESS[role].timeline);
    },
  );

  it('never lets a role read a birth date or sex beside a masked ID number', () => {
    for (const r of ROLES) if (READ_ACCESS[r].idNumber === 'masked') expect(READ_ACCESS[r].birthDateAndSex).toBe(false);
  });
});

describe('docs/access.md', () => {
  it('shows the matrices of domain/access.ts and of the routes as declared', () => {
    const file = join(PROJECT_ROOT, 'docs', 'access.md');
    const doc = readFileSync(file, 'utf8');
    const render = (text: string, name: string, table: string) =>
      text.replace(
        new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`),
        `<!-- ${name}:start -->\n${table}\n<!-- ${name}:end -->`,
      );
    const expected = render(
      render(doc, 'read-matrix', renderReadMatrix()),
      'route-matrix',
      renderRouteMatrix(openApiDocument()),
    );
    if (process.env.UPDATE_DOCS === '1') writeFileSync(file, expected);
    else expect(doc).toBe(expected);
  });
});

describe('one place', () => {
  it('masks personal data only in domain/access.ts (and on the payment roster, which always masks ID numbers)', () => {
    const files = (dir: string): string[] =>
      readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const importers = ['api', 'processes', 'data', 'engine', 'domain', 'scripts', 'web/src']
      .flatMap(files)
      .filter((f) => /from '[./]*(domain\/)?masking'/.test(readFileSync(join(PROJECT_ROOT, f), 'utf8')));
    expect(importers.sort()).toEqual(['domain/access.ts', 'processes/roster/export.ts']);
  });
});
