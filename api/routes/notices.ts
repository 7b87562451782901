// Written notices (书面告知书): metadata and the PDF as delivered.
import { z } from 'zod';
import type { RouteModule } from '../http/context';
import type { User } from '../http/auth';
import { requireVisible } from '../http/scope';
import type { Row } from '../../data/db';
import { FULL_RECORD_ROLES } from '../../domain/access';
import { iso } from '../http/schemas';

const NoticeParams = z.object({ id: z.string().min(1).max(120) });

export const noticeRoutes: RouteModule = (api, { db }) => {
  const load = async (id: string, user: User, columns: string[]) =>
    requireVisible<Row>(user, await db('notices').where({ id }).first(columns), 'notice');

  api.route(
    {
      method: 'get',
      path: '/notices/:id',
      tag: 'notices',
      summary: 'A written notice: number, status, content',
      params: NoticeParams,
      errors: [403, 404],
    },
    async ({ user, params }) => {
      const n = await load(params.id, user, [
        'id',
        'case_id',
        'kind',
        'notice_no',
        'region_code',
        'status',
        'content',
        'created_at',
        'issued_at',
        'issued_by',
      ]);
      return {
        id: n.id,
        caseId: n.case_id,
        kind: n.kind,
        noticeNo: n.notice_no,
        status: n.status,
        content: n.content,
        createdAt: iso(n.created_at),
        issuedAt: iso(n.issued_at),
        issuedBy: n.issued_by ?? null,
        pdfUrl: `/api/v1/notices/${encodeURIComponent(n.id)}/pdf`,
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/notices/:id/pdf',
      tag: 'notices',
      summary: 'The notice as PDF',
      // The document as delivered carries the full name and ID number: only for the roles that read them.
      roles: FULL_RECORD_ROLES,
      params: NoticeParams,
      errors: [403, 404],
      response: { status: 200, description: 'PDF', schema: z.string(), contentType: 'application/pdf' },
    },
    async ({ res, user, params }) => {
      const n = await load(params.id, user, ['notice_no', 'region_code', 'pdf']);
      res
        .status(200)
        .type('application/pdf')
        .setHeader(
          'Content-Disposition',
          `inline; filename="notice.pdf"; filename*=UTF-8''${encodeURIComponent(n.notice_no)}.pdf`,
        );
      res.end(n.pdf);
    },
  );
};
