// The outbox seen from the API: failed deliveries for supervisors and admins, and each user's in-app inbox.
import { z } from 'zod';
import type { Knex } from 'knex';
import type { RouteModule } from '../http/context';
import { page } from '../http/paging';
import type { Row } from '../../data/db';
import { RegionCodeSchema, iso } from '../http/schemas';
import { User, scopedRegion } from '../http/auth';
import { notFound } from '../http/errors';

/** `failed` = not delivered yet after at least one failed attempt, or given up (DEAD); `dead` = given up only. */
const STATUS_FILTER = { pending: ['PENDING'], sent: ['SENT'], failed: ['FAILED', 'DEAD'], dead: ['DEAD'] } as const;

const NotificationQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed', 'dead']).optional(),
  channel: z.enum(['LOG', 'EMAIL', 'WEBHOOK', 'SMS', 'IN_APP']).optional(),
  region: RegionCodeSchema.optional(),
  caseId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const NotificationSchema = z.object({
  id: z.string(),
  channel: z.string(),
  recipient: z.string(),
  subject: z.string(),
  status: z.enum(['PENDING', 'SENT', 'FAILED', 'DEAD']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  caseId: z.string().nullable(),
  regionCode: z.string().nullable(),
});
const InboxItemSchema = z.object({
  id: z.string(),
  subject: z.string(),
  body: z.string(),
  payload: z.unknown(),
  caseId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

/**
 * In-app recipients a user answers to: itself (`user:<sub>`), its role at exactly its level of government
 * (`role:supervisor@410721100` is the township's supervisors, not the county's), and — for the department role only —
 * its department, for messages about its own region: a department's inbox does not cross regions (docs/access.md).
 */
function inbox(db: Knex, user: User) {
  return db('notifications')
    .leftJoin('notification_reads', function () {
      this.on('notification_reads.notification_id', 'notifications.id').andOnVal(
        'notification_reads.user_sub',
        user.sub,
      );
    })
    .where('notifications.channel', 'IN_APP')
    .where((q) => {
      q.whereIn('notifications.recipient', [`user:${user.sub}`, `role:${user.role}@${user.region}`]);
      if (user.role === 'department' && user.department)
        q.orWhere((d) =>
          d
            .where('notifications.recipient', `department:${user.department}`)
            .andWhere('notifications.region_code', 'like', `${user.region}%`),
        );
    });
}

export const notificationRoutes: RouteModule = (api, { db }) => {
  api.route(
    {
      method: 'get',
      path: '/notifications',
      tag: 'notifications',
      summary: 'Outbox messages in your region, e.g. ?status=failed for deliveries that failed or were given up',
      roles: ['supervisor', 'admin'],
      query: NotificationQuery,
      response: {
        status: 200,
        description: 'Messages, newest first',
        schema: z.object({ items: z.array(NotificationSchema) }),
      },
    },
    async ({ user, query }) => {
      const region = scopedRegion(user, query.region);
      const q = db('notifications').where('region_code', 'like', `${region}%`);
      if (query.status) q.whereIn('status', STATUS_FILTER[query.status]);
      if (query.channel) q.where('channel', query.channel);
      if (query.caseId) q.where('case_id', query.caseId);
      const p = await page(
        q
          .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
          .select(
            'id',
            'channel',
            'recipient',
            'subject',
            'status',
            'attempts',
            'last_error',
            'next_attempt_at',
            'created_at',
            'sent_at',
            'case_id',
            'region_code',
          ),
        query,
        (r: Row) => r,
      );
      return {
        ...p,
        items: p.items.map((r) => ({
          id: r.id,
          channel: r.channel,
          recipient: r.recipient,
          subject: r.subject,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error ?? null,
          nextAttemptAt: r.status === 'SENT' || r.status === 'DEAD' ? null : iso(r.next_attempt_at),
          createdAt: iso(r.created_at)!,
          sentAt: iso(r.sent_at),
          caseId: r.case_id ?? null,
          regionCode: r.region_code ?? null,
        })),
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/me/notifications',
      tag: 'notifications',
      summary: 'Your in-app notifications (to you, your role at your level, your department), newest first',
      query: z.object({
        unread: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { status: 200, description: 'Inbox', schema: z.object({ items: z.array(InboxItemSchema) }) },
    },
    async ({ user, query }) => {
      const q = inbox(db, user);
      if (query.unread === 'true') q.whereNull('notification_reads.read_at');
      if (query.unread === 'false') q.whereNotNull('notification_reads.read_at');
      const p = await page(
        q
          .orderBy([{ column: 'notifications.created_at', order: 'desc' }, { column: 'notifications.id' }])
          .select(
            'notifications.id',
            'notifications.subject',
            'notifications.body',
            'notifications.payload',
            'notifications.case_id',
            'notifications.created_at',
            'notification_reads.read_at',
          ),
        query,
        (r: Row) => r,
      );
      return {
        ...p,
        items: p.items.map((r) => ({
          id: r.id,
          subject: r.subject,
          body: r.body,
          payload: r.payload ?? null,
          caseId: r.case_id ?? null,
          createdAt: iso(r.created_at)!,
          readAt: iso(r.read_at),
        })),
      };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/me/notifications/:id/read',
      tag: 'notifications',
      summary: 'Mark one of your in-app notifications read',
      params: z.object({ id: z.string().min(1).max(300) }),
      errors: [404],
      response: { status: 200, description: 'Read', schema: z.object({ id: z.string(), readAt: z.string() }) },
    },
    async ({ user, params }) => {
      const n = await inbox(db, user).where('notifications.id', params.id).first('notifications.id');
      if (!n) throw notFound('notification');
      await db('notification_reads')
        .insert({ notification_id: params.id, user_sub: user.sub })
        .onConflict(['notification_id', 'user_sub'])
        .ignore();
      const r = await db('notification_reads')
        .where({ notification_id: params.id, user_sub: user.sub })
        .first('read_at');
      return { id: params.id, readAt: iso(r.read_at)! };
    },
  );
};
