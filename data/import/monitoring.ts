// A department's monitoring dataset into the population database (docs/monitoring.md): rows checked one by one
// (domain/monitoring-rows.ts), the good ones streamed with COPY into a staging table, people the department names for
// the first time entered with their name, the rows stored under the person's id. A batch is identified by dataset and
// batch id: sending it again answers its first summary and adds nothing.
import type { Knex } from 'knex';
import { audit } from '../audit';
import { lookupHash, sealIdNumber } from '../id-keys';
import { DATASET_DEPARTMENT, type Dataset } from '../../domain/monitoring';
import { validateMonitoringRow, type ValidMonitoringRow } from '../../domain/monitoring-rows';
import { copyInto, copyLine, Rejections, type Rejection } from './copy';

export interface DatasetSummary {
  batchId: string;
  dataset: Dataset;
  asOf: string;
  accepted: number;
  rejected: number;
  rejections: Rejection[];
  alreadyImported: boolean;
}

export interface DatasetImportSpec {
  dataset: Dataset;
  batchId: string;
  /** The date the department's snapshot describes: the comparison reads each dataset's latest. */
  asOf: string;
  source: 'API' | 'FILE' | 'CLI';
  fileName?: string;
  reportedBy: { sub: string; role: string };
  today: string;
  rows: AsyncIterable<{ line: number; raw: unknown }>;
}

const COLUMNS = [
  'line',
  'id_hash',
  'id_cipher',
  'id_key',
  'name',
  'birth_date',
  'sex',
  'region_code',
  'amount',
  'income',
  'grade',
  'label',
];

function stagedLine(line: number, r: ValidMonitoringRow): string {
  // The number is sealed only when the person may be new (a name given): known people need the hash alone.
  const sealed = r.name ? sealIdNumber(r.idNumber) : undefined;
  return copyLine([
    line,
    lookupHash(r.idNumber),
    sealed?.cipher ?? null,
    sealed?.keyId ?? null,
    r.name ?? null,
    r.birthDate,
    r.sex,
    r.regionCode ?? null,
    r.facts.amount,
    r.facts.income,
    r.facts.grade,
    r.facts.label,
  ]);
}

function toSummary(row: Record<string, unknown>, alreadyImported: boolean): DatasetSummary {
  return {
    batchId: row.batch_id as string,
    dataset: row.dataset as Dataset,
    asOf: String(row.as_of).slice(0, 10),
    accepted: row.accepted as number,
    rejected: row.rejected as number,
    rejections: row.rejections as Rejection[],
    alreadyImported,
  };
}

export const datasetBatchKey = (dataset: Dataset, batchId: string) => `${dataset}:${batchId}`;

export async function importDataset(db: Knex, spec: DatasetImportSpec): Promise<DatasetSummary> {
  const batchKey = datasetBatchKey(spec.dataset, spec.batchId);
  const stored = await db('monitoring_batches').where({ id: batchKey }).first();
  if (stored) return toSummary(stored, true);
  return db.transaction(async (trx) => {
    // The same batch sent twice at once: the second waits here and then answers the first's summary.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`monitoring-batch:${batchKey}`]);
    const again = await trx('monitoring_batches').where({ id: batchKey }).first();
    if (again) return toSummary(again, true);

    const rejections = new Rejections();
    await trx.raw(`create temp table staging_monitoring (
        line int not null, id_hash bytea not null, id_cipher bytea, id_key text, name text, birth_date date not null,
        sex text not null, region_code text, amount numeric(14, 2), income numeric(14, 2), grade smallint, label text
      ) on commit drop`);
    let staged = 0;
    const { dataset, today } = spec;
    async function* lines() {
      for await (const { line, raw } of spec.rows) {
        const checked = validateMonitoringRow(raw, dataset, today);
        if (!checked.ok) {
          rejections.add({ line, reasons: checked.reasons });
          continue;
        }
        staged++;
        yield stagedLine(line, checked.row);
      }
    }
    await copyInto(trx, 'staging_monitoring', COLUMNS, lines());
    if (staged) await trx.raw('analyze staging_monitoring');

    await trx.raw(`insert into people (id, id_hash, id_cipher, id_key, name, birth_date, sex)
      select distinct on (id_hash) gen_random_uuid(), id_hash, id_cipher, id_key, name, birth_date, sex
        from staging_monitoring where name is not null order by id_hash, line
      on conflict (id_hash) do nothing`);
    const unknown = await trx.raw(`select s.line from staging_monitoring s
       where not exists (select 1 from people p where p.id_hash = s.id_hash) order by s.line`);
    for (const u of unknown.rows)
      rejections.add({
        line: u.line,
        reasons: ['idNumber: this person is not in the population database yet; give their name'],
      });
    await trx('monitoring_batches').insert({
      id: batchKey,
      dataset,
      department: DATASET_DEPARTMENT[dataset],
      batch_id: spec.batchId,
      as_of: spec.asOf,
      source: spec.source,
      file_name: spec.fileName ?? null,
      accepted: 0,
      rejected: 0,
      rejections: '[]',
      reported_by: spec.reportedBy.sub,
    });
    // One row per person and snapshot: a person listed twice in a file keeps the first line.
    const inserted = await trx.raw(
      `insert into monitoring_rows (batch_key, dataset, as_of, person_id, region_code, line, amount, income, grade,
                                    label)
       select distinct on (p.id) ?, ?, ?::date, p.id, s.region_code, s.line, s.amount, s.income, s.grade, s.label
         from staging_monitoring s join people p on p.id_hash = s.id_hash
        order by p.id, s.line`,
      [batchKey, dataset, spec.asOf],
    );
    const summary: DatasetSummary = {
      batchId: spec.batchId,
      dataset,
      asOf: spec.asOf,
      accepted: inserted.rowCount as number,
      rejected: rejections.count,
      rejections: rejections.sorted(),
      alreadyImported: false,
    };
    await trx('monitoring_batches')
      .where({ id: batchKey })
      .update({
        accepted: summary.accepted,
        rejected: summary.rejected,
        rejections: JSON.stringify(summary.rejections),
      });
    await audit(trx, {
      actor: spec.reportedBy.sub,
      role: spec.reportedBy.role,
      action: 'monitoring.import',
      entity: 'monitoring_batch',
      entityId: batchKey,
      after: {
        source: spec.source,
        fileName: spec.fileName,
        asOf: spec.asOf,
        accepted: summary.accepted,
        rejected: summary.rejected,
      },
    });
    return summary;
  });
}
