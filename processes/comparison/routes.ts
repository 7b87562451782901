// Department datasets in (JSON batches and CSV/XLSX files, idempotent per batch, streamed with COPY) and comparison
// runs on demand (docs/monitoring.md). The daily run is the Temporal Schedule of scripts/schedules.ts.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import express from 'express';
import { z } from 'zod';
import type { RouteModule } from '../../api/http/context';
import { forbidden, notFound } from '../../api/http/errors';
import { IsoDateSchema } from '../../api/http/schemas';
import { BatchId, reportingDepartment, unreadableFile, uploadedFile } from '../../api/routes/assistance-reports';
import { readDepartmentFile } from '../../data/import/department-file';
import { importDataset, type DatasetSummary } from '../../data/import/monitoring';
import { shanghaiDate } from '../../domain/calendar';
import { DATASET_DEPARTMENT, DATASETS, type Dataset } from '../../domain/monitoring';
import { monitoringRowFromCells } from '../../domain/monitoring-rows';
import type { User } from '../../api/http/auth';
import type { ComparisonRunResult } from './activities';
import { COMPARISON_WORKFLOW_TYPE, comparisonWorkflowId } from './definition';

const DatasetBody = z
  .object({
    dataset: z.enum(DATASETS),
    batchId: BatchId.describe('your id of this batch: sending it again answers the first summary and adds nothing'),
    asOf: IsoDateSchema.describe('the date your data describes: the comparison reads the latest of each dataset'),
    // Checked row by row (domain/monitoring.ts), so one bad row does not refuse the batch.
    rows: z.array(z.unknown()).min(1).max(5000),
  })
  .strict();

const FileQuery = z.object({
  dataset: z.enum(DATASETS),
  asOf: IsoDateSchema,
  batchId: BatchId.optional(),
  fileName: z.string().max(200).optional(),
});

const SummarySchema = z.object({
  batchId: z.string(),
  dataset: z.enum(DATASETS),
  asOf: z.string(),
  accepted: z.number(),
  rejected: z.number(),
  rejections: z.array(z.object({ line: z.number(), reasons: z.array(z.string()) })),
  alreadyImported: z.boolean(),
});

const RunSchema = z.object({
  runId: z.string(),
  snapshots: z.record(z.string(), z.string()),
  rowsCompared: z.number(),
  subjects: z.number(),
  raised: z.number(),
  notRaisedAgain: z.number(),
  byClass: z.record(z.string(), z.number()),
  compareMs: z.number(),
  workflowsStarted: z.number(),
  startMs: z.number(),
});

/** A department sends its own datasets only; an integrator or admin names the dataset, whose department reports. */
function checkDataset(user: User, dataset: Dataset): void {
  const department = reportingDepartment(user, user.role === 'department' ? undefined : DATASET_DEPARTMENT[dataset]);
  if (department !== DATASET_DEPARTMENT[dataset])
    throw forbidden(`${dataset} is sent by ${DATASET_DEPARTMENT[dataset]}, not ${department}`);
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function* fileRows(file: Buffer, format: 'csv' | 'xlsx') {
  for await (const row of readDepartmentFile(Readable.from([file]), format))
    yield { line: row.line, raw: monitoringRowFromCells(row.cells) };
}

export const monitoringRoutes: RouteModule = (api, { db, engine }) => {
  api.route(
    {
      method: 'post',
      path: '/monitoring/datasets',
      tag: 'monitoring',
      summary: 'A department sends a monitoring dataset (batch of up to 5,000 rows; idempotent by dataset and batchId)',
      roles: ['department', 'integrator'],
      body: DatasetBody,
      response: { status: 201, description: 'What was accepted and rejected, by row', schema: SummarySchema },
      errors: [400, 403],
    },
    async ({ user, body, res }) => {
      checkDataset(user, body.dataset);
      const summary = await importDataset(db, {
        dataset: body.dataset,
        batchId: body.batchId,
        asOf: body.asOf,
        source: 'API',
        reportedBy: { sub: user.sub, role: user.role },
        today: shanghaiDate(Date.now()),
        rows: (async function* () {
          for (const [i, raw] of body.rows.entries()) yield { line: i + 1, raw };
        })(),
      });
      if (summary.alreadyImported) res.status(200).json(summary);
      return summary;
    },
  );

  api.router.use('/monitoring/datasets/files', express.raw({ type: () => true, limit: MAX_FILE_BYTES }));
  api.route(
    {
      method: 'post',
      path: '/monitoring/datasets/files',
      tag: 'monitoring',
      summary:
        'Upload a dataset file (body: the CSV or XLSX itself; header row idNumber, name, regionCode and the ' +
        "dataset's facts, or their Chinese names); a bad row is reported with its line and reason, the rest loads",
      roles: ['department', 'integrator'],
      query: FileQuery,
      response: { status: 201, description: 'What was accepted and rejected, by line', schema: SummarySchema },
      errors: [400, 403, 415],
    },
    async ({ req, res, user, query }): Promise<DatasetSummary> => {
      checkDataset(user, query.dataset);
      const { format, file, batchId } = uploadedFile(req, query.fileName, query.batchId);
      const summary = await importDataset(db, {
        dataset: query.dataset,
        batchId,
        asOf: query.asOf,
        source: 'FILE',
        fileName: query.fileName,
        reportedBy: { sub: user.sub, role: user.role },
        today: shanghaiDate(Date.now()),
        rows: fileRows(file, format),
      }).catch(unreadableFile(format));
      if (summary.alreadyImported) res.status(200).json(summary);
      return summary;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/monitoring/comparison-runs',
      tag: 'monitoring',
      summary:
        'Run the comparison now (besides the daily schedule): answers once the warnings are raised and their ' +
        'workflows started. One open warning per person and rule: a rerun raises nothing new.',
      roles: ['county_officer', 'supervisor'],
      response: { status: 201, description: 'What the run compared and raised', schema: RunSchema },
      errors: [403],
    },
    async ({ user }) => {
      const runId = `ondemand-${shanghaiDate(Date.now())}-${randomUUID()}`;
      return engine.runJob<ComparisonRunResult>(COMPARISON_WORKFLOW_TYPE, comparisonWorkflowId(runId), [
        { runId, requestedBy: user.sub },
      ]);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/monitoring/comparison-runs/:id',
      tag: 'monitoring',
      summary: 'A comparison run: snapshots compared, rows, warnings raised by class, workflows started',
      roles: ['county_officer', 'supervisor'],
      params: z.object({ id: z.string().min(1).max(200) }),
      response: { status: 200, description: 'The run', schema: RunSchema.extend({ status: z.string() }) },
      errors: [404],
    },
    async ({ params }) => {
      const r = await db('comparison_runs').where({ id: params.id }).first();
      if (!r) throw notFound('comparison run');
      const { byClass, ...snapshots } = (r.snapshots ?? {}) as Record<string, unknown>;
      return {
        runId: r.id,
        status: r.status,
        snapshots: snapshots as Record<string, string>,
        byClass: (byClass ?? {}) as Record<string, number>,
        rowsCompared: r.rows_compared ?? 0,
        subjects: r.subjects ?? 0,
        raised: r.raised ?? 0,
        notRaisedAgain: r.not_raised_again ?? 0,
        compareMs: r.compare_ms ?? 0,
        workflowsStarted: r.workflows_started ?? 0,
        startMs: 0,
      };
    },
  );
};
