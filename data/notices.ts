// Written notices (书面告知书): drafted as PDF when decided, issued when the caseworker hands them over, delivered to
// the applicant's file through the outbox. Ids are <caseId>:<kind>:<n>.
import { audit } from './audit';
import type { Db } from './db';
import { enqueue } from './outbox';

export interface NewNotice {
  id: string;
  caseId: string;
  kind: 'REFUSAL' | 'TERMINATION';
  noticeNo: string;
  regionCode: string;
  /** The issuing office (data/offices.ts), whose number sequence the notice number belongs to. */
  officeCode?: string;
  content: unknown;
  pdf: Buffer;
}

export async function noticeExists(db: Db, id: string): Promise<boolean> {
  return !!(await db('notices').where({ id }).first('id'));
}

export async function insertNotice(db: Db, n: NewNotice): Promise<void> {
  await db('notices')
    .insert({
      id: n.id,
      case_id: n.caseId,
      kind: n.kind,
      notice_no: n.noticeNo,
      region_code: n.regionCode,
      office_code: n.officeCode ?? null,
      status: 'DRAFT',
      content: JSON.stringify(n.content),
      pdf: n.pdf,
    })
    .onConflict('id')
    .ignore();
}

const TITLES = { TERMINATION: '终止救助告知书', REFUSAL: '不予认定告知书' } as const;

/** Marks the notice issued and queues its delivery, once; the audit row commits with it. */
export async function issueNotice(
  db: Db,
  i: { noticeId: string; actor: { sub: string; role: string }; issuedOn: string },
  /** The notice rendered again with its issue date (engine/activities/cases.ts). */
  reissued?: { content: unknown; pdf: Buffer },
): Promise<void> {
  await db.transaction(async (trx) => {
    const n = await trx('notices')
      .where({ id: i.noticeId })
      .forUpdate()
      .first('id', 'case_id', 'kind', 'status', 'notice_no', 'region_code');
    if (!n || n.status === 'ISSUED') return;
    await trx('notices')
      .where({ id: i.noticeId })
      .update({
        status: 'ISSUED',
        issued_at: trx.fn.now(),
        issued_by: i.actor.sub,
        issued_on: i.issuedOn,
        ...(reissued ? { content: JSON.stringify(reissued.content), pdf: reissued.pdf } : {}),
      });
    // Delivered to the applicant's file journal by default; a post or SMS provider plugs in as a transport.
    await enqueue(trx, {
      id: `${i.noticeId}:delivery`,
      channel: 'LOG',
      recipient: `case:${n.case_id}`,
      caseId: n.case_id,
      regionCode: n.region_code,
      noticeId: i.noticeId,
      subject: `${TITLES[n.kind as keyof typeof TITLES]} ${n.notice_no}`,
      body: `书面告知书 ${n.notice_no} 已于 ${i.issuedOn} 送达。`,
      payload: { type: 'notice.issued', noticeId: i.noticeId, caseId: n.case_id, issuedOn: i.issuedOn },
    });
    await audit(trx, {
      actor: i.actor.sub,
      role: i.actor.role,
      action: 'notice.issue',
      caseId: n.case_id,
      entity: 'notice',
      entityId: i.noticeId,
      before: { status: n.status },
      after: { status: 'ISSUED', issuedOn: i.issuedOn },
    });
  });
}
