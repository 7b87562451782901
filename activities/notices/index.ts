// Written notices: drafted as PDF at the decision, issued by the caseworker, delivered through the outbox.
import type { ActivityDeps } from '../deps';
import type { IssueNoticeInput, RefusalNoticeDraftInput } from '../contracts';
import { audit } from '../audit';
import { enqueue } from '../notifications/outbox';
import { renderRefusalNotice } from './pdf';

export const AUTHORITIES = { issuingAuthority: '新乡县民政局', reviewAuthority: '新乡县人民政府', court: '新乡县人民法院' };

export function noticeActivities({ db }: ActivityDeps) {
  return {
    async draftRefusalNotice({ noticeId, caseId, decisionId }: RefusalNoticeDraftInput): Promise<void> {
      if (await db('notices').where({ id: noticeId }).first('id')) return;
      const c = await db('cases').where({ 'cases.id': caseId }).join('regions', 'regions.code', 'cases.region_code')
        .first('cases.household_id', 'cases.received_on', 'cases.region_code', 'regions.name as region_name');
      const applicant = await db('members').where({ household_id: c.household_id, relation: 'APPLICANT' }).first('name');
      const d = await db('decisions').where({ id: decisionId }).first('decided_on', 'reasons');
      const noticeNo = `新民不确〔${d.decided_on.slice(0, 4)}〕${caseId.slice(0, 8).toUpperCase()}号`;
      const content = {
        noticeNo, applicantName: applicant?.name ?? '申请人', householdRegion: c.region_name, applicationDate: c.received_on,
        decisionDate: d.decided_on, reasons: d.reasons as string[], ...AUTHORITIES,
      };
      const pdf = await renderRefusalNotice(content);
      await db('notices').insert({ id: noticeId, case_id: caseId, kind: 'REFUSAL', notice_no: noticeNo, region_code: c.region_code, status: 'DRAFT', content: JSON.stringify(content), pdf })
        .onConflict('id').ignore();
    },

    async issueNotice({ noticeId, actor, issuedOn }: IssueNoticeInput): Promise<void> {
      await db.transaction(async (trx) => {
        const n = await trx('notices').where({ id: noticeId }).forUpdate().first('id', 'case_id', 'kind', 'status', 'notice_no', 'region_code');
        if (!n || n.status === 'ISSUED') return;
        await trx('notices').where({ id: noticeId }).update({ status: 'ISSUED', issued_at: trx.fn.now(), issued_by: actor.sub });
        // Delivered to the applicant's file journal by default; a post or SMS provider plugs in as a transport.
        await enqueue(trx, {
          id: `${noticeId}:delivery`, channel: 'LOG', recipient: `case:${n.case_id}`, caseId: n.case_id, regionCode: n.region_code, noticeId,
          subject: `${n.kind === 'TERMINATION' ? '终止救助告知书' : '不予认定告知书'} ${n.notice_no}`, body: `书面告知书 ${n.notice_no} 已于 ${issuedOn} 送达。`,
          payload: { type: 'notice.issued', noticeId, caseId: n.case_id, issuedOn },
        });
        await audit(trx, { actor: actor.sub, role: actor.role, action: 'notice.issue', caseId: n.case_id, entity: 'notice', entityId: noticeId, before: { status: n.status }, after: { status: 'ISSUED', issuedOn } });
      });
    },
  };
}
