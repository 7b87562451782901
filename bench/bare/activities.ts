// The bare case's one side effect per step: one row, idempotent (a retried activity finds its row), through knex with
// Doudi's pool settings (migrations/index.ts createKnex) so the database side of a step costs what Doudi's would.
import type { Knex } from 'knex';

export const BARE_TABLE = 'bench_bare_steps';

export async function ensureBareTable(db: Knex): Promise<void> {
  await db.raw(`create table if not exists ${BARE_TABLE} (
    case_id text not null, n int not null, step text not null, at timestamptz not null default now(),
    primary key (case_id, n))`);
}

export function bareActivities(db: Knex) {
  return {
    async writeStep({ caseId, step, n }: { caseId: string; step: string; n: number }): Promise<void> {
      await db(BARE_TABLE).insert({ case_id: caseId, n, step }).onConflict(['case_id', 'n']).ignore();
    },
  };
}

export type BareActivities = ReturnType<typeof bareActivities>;
