// `npm run token -- --role caseworker --region 410721100 [--sub name] [--expires 12h]`: a development JWT.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { signToken } from '../api/http/auth';
import { DEPARTMENTS, Department, ROLES, Role } from '../domain/glossary';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    region: { type: 'string', default: '410721' },
    sub: { type: 'string' },
    department: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) {
  console.error(`usage: npm run token -- --role <${ROLES.join('|')}> --region <code> [--sub id]`);
  process.exit(2);
}
if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(values.region!)) {
  console.error('--region must be a 6, 9 or 12 digit region code');
  process.exit(2);
}
const department = values.department as Department | undefined;
if (department !== undefined && !DEPARTMENTS.includes(department)) {
  console.error(`--department must be one of ${DEPARTMENTS.join(', ')}`);
  process.exit(2);
}
const config = loadConfig();
console.log(
  signToken(
    config.jwtSecret,
    { sub: values.sub ?? `dev-${role}`, role, region: values.region!, ...(department ? { department } : {}) },
    values.expires as never,
  ),
);
