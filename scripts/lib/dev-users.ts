// `npm start` only: one console user per role for trying things out, all with the same development password. The
// password is generated once per data folder and kept there (mode 600), never in the source; a new data folder gets a
// new one. Users are reset to these roles and regions at every start.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKnex } from '../../migrations';
import { upsertUser } from '../../data/users';
import type { Department, Role } from '../../domain/glossary';

export interface DevUser {
  username: string;
  name: string;
  role: Role;
  regionCode: string;
  department?: Department;
}

export const DEV_USERS: DevUser[] = [
  { username: 'caseworker', name: '张敏（七里营镇经办人）', role: 'caseworker', regionCode: '410721100' },
  { username: 'village', name: '刘强（七里营镇村协理员）', role: 'village_assistant', regionCode: '410721100' },
  { username: 'reviewer', name: '王静（七里营镇审核人）', role: 'reviewer', regionCode: '410721100' },
  { username: 'officer', name: '陈伟（县民政局审批人）', role: 'county_officer', regionCode: '410721' },
  { username: 'supervisor', name: '李娜（县督办）', role: 'supervisor', regionCode: '410721' },
  { username: 'health', name: '赵磊（县卫健委）', role: 'department', regionCode: '410721', department: 'HEALTH' },
  { username: 'admin', name: '系统管理员', role: 'admin', regionCode: '410721' },
];

export function devPassword(dataDir: string): string {
  const file = join(dataDir, 'dev-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(12).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export async function ensureDevUsers(
  databaseUrl: string,
  dataDir: string,
): Promise<{ password: string; users: DevUser[] }> {
  const password = devPassword(dataDir);
  const db = createKnex(databaseUrl, { min: 0, max: 2 });
  try {
    for (const u of DEV_USERS) await upsertUser(db, { ...u, password });
  } finally {
    await db.destroy();
  }
  return { password, users: DEV_USERS };
}
