// `npm run token -- --role caseworker --region 410721100 [--sub name] [--department HEALTH] [--expires 12h]`: a JWT
// signed with AUTH_JWT_SECRET, else with the data folder's secret that `npm start` uses (config/index.ts).
import { parseArgs } from 'node:util';
import { loadConfig, resolveJwtSecret } from '../config';
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
const expires = /^(\d+)([smhd])$/.exec(values.expires!);
const config = loadConfig();
const seconds = expires ? Number(expires[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[expires[2] as 's'] : NaN;
if (!(seconds > 0 && seconds <= config.tokenMaxLifetimeSeconds)) {
  console.error(
    `--expires must be like 30m or 12h, at most AUTH_TOKEN_MAX_HOURS (${config.tokenMaxLifetimeSeconds / 3600} h)`,
  );
  process.exit(2);
}
console.log(
  signToken(
    resolveJwtSecret(config, true),
    { sub: values.sub ?? `dev-${role}`, role, region: values.region!, ...(department ? { department } : {}) },
    seconds,
  ),
);
