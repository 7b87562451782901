// Emergency assistance (docs/policy.md §5): report and pay the small-amount advance at once, justify it afterwards.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { text } from '../../domain/schemas';
import type { Knex } from 'knex';
import type { RouteModule } from '../../api/http/context';
import { IsoDateSchema, RegionCodeSchema, toDeadline, toPayment, toTask, iso } from '../../api/http/schemas';
import { actorOf, requireScope, User, scopedRegion } from '../../api/http/auth';
import { conflict, notFound, unprocessable } from '../../api/http/errors';
import { idempotent, idempotentUuid } from '../../api/http/idempotency';
import { loadCase } from '../../api/http/scope';
import { audit } from '../../data/audit';
import { idNumberOf } from '../../data/people';
import { StagePlanSchema } from '../../domain/emergency';
import { HouseholdSchema } from '../../domain/household';
import { page } from '../../api/http/paging';
import { positiveYuan } from '../../domain/money';
import type { EvidenceRef } from './activities';
import { emergencyProcess } from './definition';
import { EmergencyBody, reportEmergency } from './report';
import { ConferenceRequestSchema } from './schemas';
import { inTransaction, type Row } from '../../data/db';

const JUSTIFICATION_OUTCOMES = Object.keys(emergencyProcess.tasks.justification.outcomes) as [string, ...string[]];

/** Decoded size of one evidence file: large scans belong in the paper file, the record keeps what the county needs. */
export const MAX_ATTACHMENT_BYTES = 512 * 1024;

const FileSchema = z
  .object({
    fileName: text(200),
    contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type'),
    contentBase64: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
  })
  .strict();

const JustificationBody = z
  .object({
    outcome: z.enum(JUSTIFICATION_OUTCOMES),
    facts: text(5000),
    amountPaid: positiveYuan(),
    evidence: z.array(FileSchema).max(5).optional(),
    attachmentIds: z.array(z.string().uuid()).max(10).optional(),
    household: HouseholdSchema.optional(),
    stages: StagePlanSchema.optional(),
    conference: ConferenceRequestSchema.optional(),
    effectiveOn: IsoDateSchema.optional(),
    comment: text(2000).optional(),
  })
  .strict();

const ListQuery = z.object({
  region: RegionCodeSchema.optional(),
  status: z.enum(emergencyProcess.statuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const IdParams = z.object({ id: z.string().uuid() });
const AttachmentParams = z.object({ id: z.string().uuid(), attachmentId: z.string().uuid() });

function decode(file: z.infer<typeof FileSchema>, path: string): { content: Buffer; sha256: string } {
  const content = Buffer.from(file.contentBase64, 'base64');
  if (content.length === 0) throw unprocessable('INVALID_ATTACHMENT', `${path}: empty file`);
  if (content.length > MAX_ATTACHMENT_BYTES) {
    throw unprocessable(
      'ATTACHMENT_TOO_LARGE',
      `${path}: ${content.length} bytes; at most ${MAX_ATTACHMENT_BYTES} per file`,
      { maxBytes: MAX_ATTACHMENT_BYTES },
    );
  }
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}

/** Stores a file once per case and content; returns its reference and whether this call created it. */
async function storeAttachment(
  db: Knex,
  caseId: string,
  file: z.infer<typeof FileSchema>,
  path: string,
  user: User,
): Promise<{ ref: EvidenceRef; created: boolean }> {
  const { content, sha256 } = decode(file, path);
  const id = idempotentUuid(caseId, sha256);
  const inserted = await inTransaction(db, async (trx) => {
    const rows = await trx('emergency_attachments')
      .insert({
        id,
        case_id: caseId,
        file_name: file.fileName,
        content_type: file.contentType,
        size_bytes: content.length,
        sha256,
        content,
        uploaded_by: user.sub,
      })
      .onConflict('id')
      .ignore()
      .returning('id');
    if (rows.length) {
      await audit(trx, {
        actor: user.sub,
        role: user.role,
        action: 'attachment.upload',
        caseId,
        entity: 'attachment',
        entityId: id,
        after: { fileName: file.fileName, sizeBytes: content.length, sha256 },
      });
    }
    return rows;
  });
  return {
    ref: {
      attachmentId: id,
      fileName: file.fileName,
      contentType: file.contentType,
      sizeBytes: content.length,
      sha256,
    },
    created: inserted.length > 0,
  };
}

const loadEmergency = (db: Knex, user: User, id: string) => loadCase(db, user, id, emergencyProcess.name);

function toSummary(r: Row) {
  return {
    caseId: r.case_id,
    status: r.status,
    regionCode: r.region_code,
    activeSteps: r.active_steps ?? [],
    hardship: r.hardship,
    residence: r.residence,
    requestedAmount: r.requested_amount,
    cap: r.cap,
    policyVersionId: r.policy_version_id,
    paidOn: r.paid_on ?? null,
    justificationOutcome: r.justification_outcome ?? null,
    justifiedOn: r.justified_on ?? null,
    followUpCaseId: r.follow_up_case_id ?? null,
    conferenceId: r.conference_id ?? null,
    householdId: r.household_id,
    personName: r.name ?? null,
    receivedOn: r.received_on,
  };
}

export const emergencyRoutes: RouteModule = (api, { db, engine }) => {
  api.route(
    {
      method: 'post',
      path: '/emergencies',
      tag: 'emergencies',
      summary:
        'Report an emergency (急难) and pay the small-amount advance at once; no hukou restriction; honours ' +
        'Idempotency-Key',
      roles: ['caseworker'],
      body: EmergencyBody,
      errors: [400, 403, 422],
      response: { status: 201, description: 'Advance paid; the justification task is open' },
    },
    async ({ req, res, user, body }) => {
      requireScope(user, body.regionCode);
      res.status(201);
      return idempotent({ db, req, res, user }, 'POST /emergencies', body, 201, (key) =>
        reportEmergency({ db, engine }, actorOf(user), body, key),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/emergencies',
      tag: 'emergencies',
      summary: 'Emergencies in your region, newest first',
      query: ListQuery,
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = db('emergencies')
        .join('cases', 'cases.id', 'emergencies.case_id')
        .leftJoin('people', 'people.id', 'emergencies.person_id')
        .where('emergencies.region_code', 'like', `${region}%`)
        .select('emergencies.*', 'cases.status', 'cases.active_steps', 'cases.received_on', 'people.name');
      if (query.status) q.where('cases.status', query.status);
      return page(
        q.orderBy([{ column: 'emergencies.created_at', order: 'desc' }, { column: 'emergencies.case_id' }]),
        query,
        toSummary,
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/emergencies/:id',
      tag: 'emergencies',
      summary: 'An emergency: person, advance, justification, plan, payments, tasks, deadlines',
      params: IdParams,
      errors: [400, 404],
    },
    async ({ user, params }) => {
      const c = await loadEmergency(db, user, params.id);
      const [e, payments, plan, attachments, tasks, deadlines, activeSteps] = await Promise.all([
        db('emergencies')
          .leftJoin('people', 'people.id', 'emergencies.person_id')
          .where({ case_id: c.id })
          .first(
            'emergencies.*',
            'people.name',
            'people.id_cipher',
            'people.id_key',
            'people.birth_date',
            'people.sex',
          ),
        db('payments').where({ case_id: c.id }).orderBy('created_at'),
        db('assistance_plans').where({ case_id: c.id }).first(),
        db('emergency_attachments')
          .where({ case_id: c.id })
          .orderBy('created_at')
          .select('id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'task_id', 'created_at'),
        db('tasks').where({ case_id: c.id }).orderBy('created_at'),
        db('deadlines').where({ case_id: c.id }).orderBy('created_at'),
        engine.activeSteps(c.workflow_id),
      ]);
      return {
        ...toSummary({
          ...e,
          status: c.status,
          active_steps: activeSteps ?? c.active_steps,
          received_on: c.received_on,
        }),
        person: {
          name: e.name,
          idNumber: idNumberOf(e),
          birthDate: e.birth_date,
          sex: e.sex,
        },
        description: e.description,
        justificationFacts: e.justification_facts ?? null,
        conferenceDecision: e.conference_decision ?? null,
        payments: payments.map(toPayment),
        plan: plan
          ? {
              id: plan.id,
              status: plan.status,
              approvedOn: plan.approved_on,
              approvedBy: plan.approved_by,
              stages: plan.stages,
            }
          : null,
        attachments: attachments.map((a) => ({
          id: a.id,
          fileName: a.file_name,
          contentType: a.content_type,
          sizeBytes: a.size_bytes,
          sha256: a.sha256,
          taskId: a.task_id ?? null,
          createdAt: iso(a.created_at),
        })),
        tasks: tasks.map((t) => toTask(t)),
        deadlines: deadlines.map(toDeadline),
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/emergencies/:id/attachments',
      tag: 'emergencies',
      summary: 'Upload one evidence file (base64, at most 512 KiB) for the justification',
      roles: ['caseworker'],
      params: IdParams,
      body: FileSchema,
      errors: [400, 403, 404, 422],
      response: { status: 201, description: 'Stored; pass attachmentId with the justification' },
    },
    async ({ res, user, params, body }) => {
      const c = await loadEmergency(db, user, params.id);
      const { ref } = await storeAttachment(db, c.id, body, 'file', user);
      res.status(201);
      return ref;
    },
  );

  api.route(
    {
      method: 'get',
      path: '/emergencies/:id/attachments/:attachmentId',
      tag: 'emergencies',
      summary: 'Download an evidence file',
      roles: ['caseworker', 'reviewer', 'county_officer', 'supervisor'],
      params: AttachmentParams,
      errors: [403, 404],
      response: { status: 200, description: 'The file', contentType: 'application/octet-stream' },
    },
    async ({ res, user, params }) => {
      const c = await loadEmergency(db, user, params.id);
      const a = await db('emergency_attachments').where({ id: params.attachmentId, case_id: c.id }).first();
      if (!a) throw notFound('attachment');
      res
        .status(200)
        .type(a.content_type)
        .setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.file_name)}`)
        // A file a person uploaded is never run by the browser as a page, whatever type it claims (nosniff is global).
        .setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
      res.send(a.content);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/emergencies/:id/justification',
      tag: 'emergencies',
      summary: 'Justify the advance (事后补充说明): facts, evidence files, the amount paid, and what follows',
      roles: ['caseworker'],
      params: IdParams,
      body: JustificationBody,
      errors: [400, 403, 404, 409, 422],
    },
    async ({ user, params, body }) => {
      const c = await loadEmergency(db, user, params.id);
      const task = await db('tasks')
        .where({ case_id: c.id, type: 'justification', status: 'OPEN' })
        .first('id', 'assignee');
      if (!task) throw conflict('the emergency has no open justification task');
      if (task.assignee && task.assignee !== user.sub && user.role !== 'admin')
        throw conflict('task is claimed by someone else', { assignee: task.assignee });
      const known = body.attachmentIds?.length
        ? await db('emergency_attachments')
            .where({ case_id: c.id })
            .whereIn('id', body.attachmentIds)
            .select('id', 'file_name', 'content_type', 'size_bytes', 'sha256')
        : [];
      const unknown = (body.attachmentIds ?? []).filter((a) => !known.some((k) => k.id === a));
      if (unknown.length)
        throw unprocessable('UNKNOWN_ATTACHMENT', 'attachments not uploaded for this emergency', {
          attachmentIds: unknown,
        });
      (body.evidence ?? []).forEach((f, i) => decode(f, `evidence.${i}`)); // size checks before anything is stored

      const created: string[] = [];
      const evidence: EvidenceRef[] = known.map((k) => ({
        attachmentId: k.id,
        fileName: k.file_name,
        contentType: k.content_type,
        sizeBytes: k.size_bytes,
        sha256: k.sha256,
      }));
      try {
        for (const [i, f] of (body.evidence ?? []).entries()) {
          const { ref, created: isNew } = await storeAttachment(db, c.id, f, `evidence.${i}`, user);
          if (isNew) created.push(ref.attachmentId);
          evidence.push(ref);
        }
        const data: Record<string, unknown> = { facts: body.facts, amountPaid: body.amountPaid, evidence };
        for (const k of ['household', 'stages', 'conference', 'effectiveOn'] as const)
          if (body[k] !== undefined) data[k] = body[k];
        return await engine.completeTask(c.workflow_id, {
          taskId: task.id,
          outcome: body.outcome,
          data,
          comment: body.comment,
          actor: actorOf(user),
        });
      } catch (err) {
        // A refused justification leaves nothing behind: the files it brought go too.
        if (created.length) await db('emergency_attachments').whereIn('id', created).whereNull('task_id').del();
        throw err;
      }
    },
  );
};
