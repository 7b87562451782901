// Departments report the assistance they gave (docs/policy.md §7.4): JSON batches and CSV/XLSX files, both through
// data/import/assistance.ts, both idempotent by batch id (a file without one is identified by its content).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import express, { type Request } from 'express';
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import { type User } from '../http/auth';
import { badRequest, forbidden, HttpError } from '../http/errors';
import { importAssistance, type ImportSummary } from '../../data/import/assistance';
import { formatOf, readDepartmentFile, type FileFormat, type FileRow } from '../../data/import/department-file';
import { recordFromFileRow } from '../../domain/assistance-records';
import { shanghaiDate } from '../../domain/calendar';
import { DEPARTMENTS, type Department } from '../../domain/glossary';

export const BatchId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -');

const BatchBody = z
  .object({
    batchId: BatchId.describe('your id of this batch: sending it again answers the first summary and adds nothing'),
    department: z.enum(DEPARTMENTS).optional().describe('integrators and admins: the department reporting'),
    // Checked row by row (domain/assistance-records.ts), so one bad row does not refuse the batch.
    records: z.array(z.unknown()).min(1).max(5000),
  })
  .strict();

const FileQuery = z.object({
  batchId: BatchId.optional(),
  department: z.enum(DEPARTMENTS).optional(),
  fileName: z.string().max(200).optional(),
});

const RejectionSchema = z.object({
  line: z.number(),
  reference: z.string().optional(),
  reasons: z.array(z.string()),
});
const SummarySchema = z.object({
  batchId: z.string(),
  department: z.enum(DEPARTMENTS),
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  rejections: z.array(RejectionSchema),
  alreadyImported: z.boolean(),
});

/** A department user reports for its own department; an integrator or an admin names the department. */
export function reportingDepartment(user: User, requested?: Department): Department {
  if (user.role === 'department') {
    if (!user.department) throw forbidden('your token carries no department');
    if (requested && requested !== user.department) throw forbidden(`you report for ${user.department} only`);
    return user.department;
  }
  if (!requested) throw badRequest('department is required for an integrator or an admin');
  return requested;
}

const MAX_FILE_BYTES = 32 * 1024 * 1024;

/**
 * The file a department uploads as the request body (api.router uses express.raw for its path): its format, its
 * bytes, and its batch id (given, or the content's hash, so the same file twice is the same batch).
 */
export function uploadedFile(
  req: Request,
  fileName?: string,
  batchId?: string,
): { format: FileFormat; file: Buffer; batchId: string } {
  const format = formatOf(fileName, req.headers['content-type']);
  if (!format)
    throw new HttpError(415, 'UNSUPPORTED_FILE', 'send text/csv or an XLSX workbook (or name the file .csv/.xlsx)');
  const file = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!file.length) throw badRequest('the request body is empty: send the file itself');
  return { format, file, batchId: batchId ?? `sha256-${createHash('sha256').update(file).digest('hex').slice(0, 40)}` };
}

/** exceljs refuses a file that is not what it says it is: the client's input (400), not our failure. */
export function unreadableFile(format: FileFormat) {
  return (err: unknown): never => {
    if (err instanceof HttpError) throw err;
    if (/zip|end of data|invalid|signature|corrupt/i.test((err as Error)?.message ?? ''))
      throw badRequest(`the ${format.toUpperCase()} file could not be read`);
    throw err;
  };
}

export const assistanceReportRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'post',
      path: '/assistance-reports',
      tag: 'assistance chain',
      summary: 'A department reports assistance it gave (batch of up to 5,000 records; idempotent by batchId)',
      roles: ['department', 'integrator'],
      body: BatchBody,
      response: { status: 201, description: 'What was accepted and rejected, by row', schema: SummarySchema },
      errors: [400, 403],
    },
    async ({ user, body, res }) => {
      const department = reportingDepartment(user, body.department);
      const summary = await importAssistance(db, {
        department,
        batchId: body.batchId,
        source: 'API',
        reportedBy: { sub: user.sub, role: user.role },
        fallbackRegion: user.region,
        today: shanghaiDate(Date.now()),
        rows: (async function* () {
          for (const [i, raw] of body.records.entries()) yield { line: i + 1, raw };
        })(),
      });
      // A batch seen before answers 200 with its first summary (the builder answers 201 otherwise).
      if (summary.alreadyImported) res.status(200).json(summary);
      return summary;
    },
  );

  // The file arrives as the request body itself (Content-Type text/csv or the XLSX type), not as JSON.
  api.router.use('/assistance-reports/files', express.raw({ type: () => true, limit: MAX_FILE_BYTES }));
  api.route(
    {
      method: 'post',
      path: '/assistance-reports/files',
      tag: 'assistance chain',
      summary:
        'Upload a department file (body: the CSV or XLSX itself, Content-Type text/csv or ' +
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; header row with reference, idNumber, ' +
        'name, kind, period, grantedOn, amount or their Chinese names; other columns become details)',
      roles: ['department', 'integrator'],
      query: FileQuery,
      response: { status: 201, description: 'What was accepted and rejected, by line', schema: SummarySchema },
      errors: [400, 403, 415],
    },
    async ({ req, res, user, query }): Promise<ImportSummary> => {
      const department = reportingDepartment(user, query.department);
      const { format, file, batchId } = uploadedFile(req, query.fileName, query.batchId);
      const summary = await importAssistance(db, {
        department,
        batchId,
        source: 'FILE',
        fileName: query.fileName,
        reportedBy: { sub: user.sub, role: user.role },
        fallbackRegion: user.region,
        today: shanghaiDate(Date.now()),
        rows: fileRows(file, format),
      }).catch(unreadableFile(format));
      // A batch seen before answers 200 with its first summary (the builder answers 201 otherwise).
      if (summary.alreadyImported) res.status(200).json(summary);
      return summary;
    },
  );
};

/**
 * The file's rows. Whatever the reader throws is about the file (not a zip, an unclosed quote, a broken sheet): the
 * client's input, answered 400, while errors of the import itself (the database) stay what they are.
 */
async function* fileRows(file: Buffer, format: 'csv' | 'xlsx') {
  const rows = readDepartmentFile(Readable.from([file]), format);
  for (;;) {
    let next: IteratorResult<FileRow>;
    try {
      next = await rows.next();
    } catch {
      throw badRequest(`the ${format.toUpperCase()} file could not be read`);
    }
    if (next.done) return;
    yield { line: next.value.line, raw: recordFromFileRow(next.value.cells) };
  }
}
