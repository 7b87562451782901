// Loading a department's assistance report into the population database (docs/policy.md §7.4): rows are checked one
// by one (domain/assistance-records.ts), streamed with COPY into a staging table, then merged in three statements —
// new people, the records (`on conflict do nothing`: a department's reference is its record's identity), the batch
// summary.
// A batch is identified by department and batch id: the same batch again answers its first summary and adds nothing.
// Built to be reused for monitoring datasets: the row source, the check and the target table are the parts that vary.
import type { Knex } from 'knex';
import { audit } from '../audit';
import { lookupHash, sealIdNumber } from '../id-keys';
import type { Department } from '../../domain/glossary';
import { validateRecord, type ValidRecord } from '../../domain/assistance-records';
import { copyInto, copyLine as copyValues, Rejections, type Rejection } from './copy';

export { MAX_REJECTIONS_KEPT, type Rejection } from './copy';

export interface ImportSummary {
  batchId: string;
  department: Department;
  /** Records stored by this batch. */
  accepted: number;
  /** Rows whose reference this department had already reported (unchanged: a re-sent row adds nothing). */
  duplicates: number;
  rejected: number;
  /** Line numbers and reasons, at most MAX_REJECTIONS_KEPT of them; never an ID number. */
  rejections: Rejection[];
  /** True when this batch had been imported before: the summary is the first import's. */
  alreadyImported: boolean;
}

export interface ImportSpec {
  department: Department;
  batchId: string;
  source: 'API' | 'FILE' | 'CLI';
  fileName?: string;
  reportedBy: { sub: string; role: string };
  /** Region a record takes when its person has no household in the database (the reporter's region). */
  fallbackRegion: string;
  today: string;
  rows: AsyncIterable<{ line: number; raw: unknown }>;
}

const COLUMNS = [
  'line',
  'id',
  'reference',
  'id_hash',
  'id_cipher',
  'id_key',
  'name',
  'birth_date',
  'sex',
  'kind',
  'period',
  'granted_on',
  'amount',
  'details',
];

function copyLine(line: number, department: string, r: ValidRecord): string {
  const sealed = sealIdNumber(r.idNumber);
  return copyValues([
    line,
    `${department}:${r.reference}`,
    r.reference,
    lookupHash(r.idNumber),
    sealed.cipher,
    sealed.keyId,
    r.name ?? null,
    r.birthDate,
    r.sex,
    r.kind,
    r.period,
    r.grantedOn,
    r.amount ?? null,
    r.details ? JSON.stringify(r.details) : null,
  ]);
}

function toSummary(row: Record<string, unknown>, alreadyImported: boolean): ImportSummary {
  return {
    batchId: row.batch_id as string,
    department: row.department as Department,
    accepted: row.accepted as number,
    duplicates: row.duplicates as number,
    rejected: row.rejected as number,
    rejections: row.rejections as Rejection[],
    alreadyImported,
  };
}

export async function importAssistance(db: Knex, spec: ImportSpec): Promise<ImportSummary> {
  const batchKey = `${spec.department}:${spec.batchId}`;
  const earlier = await db('assistance_batches').where({ id: batchKey }).first();
  if (earlier) return toSummary(earlier, true);

  return db.transaction(async (trx) => {
    // The same batch sent twice at once: the second waits here and then answers the first's summary.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`assistance-batch:${batchKey}`]);
    const again = await trx('assistance_batches').where({ id: batchKey }).first();
    if (again) return toSummary(again, true);

    const rejections = new Rejections();
    const reject = (r: Rejection) => rejections.add(r);
    await trx.raw(`create temp table staging_assistance (
        line int not null, id text not null, reference text not null, id_hash bytea not null, id_cipher bytea not null,
        id_key text not null, name text, birth_date date not null, sex text not null, kind text not null,
        period text not null, granted_on date not null, amount numeric(12, 2), details jsonb
      ) on commit drop`);
    const department = spec.department;
    const today = spec.today;
    let staged = 0;
    async function* lines() {
      for await (const { line, raw } of spec.rows) {
        const checked = validateRecord(raw, department, today);
        if (!checked.ok) {
          const ref = (raw as { reference?: unknown })?.reference;
          reject({ line, reference: typeof ref === 'string' ? ref.slice(0, 64) : undefined, reasons: checked.reasons });
          continue;
        }
        staged++;
        yield copyLine(line, department, checked.record);
      }
    }
    await copyInto(trx, 'staging_assistance', COLUMNS, lines());
    if (staged) await trx.raw('analyze staging_assistance');

    // People the department names for the first time enter the database (plan 二(二)); without a name they cannot.
    await trx.raw(`insert into people (id, id_hash, id_cipher, id_key, name, birth_date, sex)
      select distinct on (id_hash) gen_random_uuid(), id_hash, id_cipher, id_key, name, birth_date, sex
        from staging_assistance where name is not null order by id_hash, line
      on conflict (id_hash) do nothing`);
    const unknown = await trx.raw(`select s.line, s.reference from staging_assistance s
       where not exists (select 1 from people p where p.id_hash = s.id_hash) order by s.line`);
    for (const u of unknown.rows)
      reject({
        line: u.line,
        reference: u.reference,
        reasons: ['idNumber: this person is not in the population database yet; give their name'],
      });
    const inserted = await trx.raw(
      `insert into assistance_records (id, person_id, household_id, region_code, kind, department, reference, period,
                                        granted_on, amount, details, batch_id, reported_by)
       select distinct on (s.id) s.id, p.id, m.household_id, coalesce(h.region_code, ?), s.kind, ?, s.reference,
              s.period, s.granted_on, s.amount, s.details, ?, ?
         from staging_assistance s
         join people p on p.id_hash = s.id_hash
         left join members m on m.person_id = p.id and m.left_on is null
         left join households h on h.id = m.household_id
        order by s.id, s.line
       on conflict (id) do nothing`,
      [spec.fallbackRegion, department, spec.batchId, spec.reportedBy.sub],
    );
    const accepted = inserted.rowCount as number;
    const summary: ImportSummary = {
      batchId: spec.batchId,
      department,
      accepted,
      duplicates: staged - unknown.rows.length - accepted,
      rejected: rejections.count,
      rejections: rejections.sorted(),
      alreadyImported: false,
    };
    await trx('assistance_batches').insert({
      id: batchKey,
      department,
      batch_id: spec.batchId,
      source: spec.source,
      file_name: spec.fileName ?? null,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      rejected: summary.rejected,
      rejections: JSON.stringify(summary.rejections),
      reported_by: spec.reportedBy.sub,
    });
    await audit(trx, {
      actor: spec.reportedBy.sub,
      role: spec.reportedBy.role,
      action: 'assistance.import',
      entity: 'assistance_batch',
      entityId: batchKey,
      after: {
        source: spec.source,
        fileName: spec.fileName,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        rejected: summary.rejected,
      },
    });
    return summary;
  });
}
