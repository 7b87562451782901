// POST /applications: a household applies (申请); the case and its workflow start.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RouteModule } from '../context';
import { ApplicationSchema } from '../schemas';
import { requireScope } from '../auth';
import { unprocessable } from '../errors';
import { idempotentUuid, remember, replayed, requestHash } from '../idempotency';
import { applicationWorkflowId } from '../engine';
import { audit } from '../../activities/audit';
import { parseIdNumber, ageOn } from '../../domain/idNumber';
import { shanghaiDate } from '../../domain/calendar';

export const applicationRoutes: RouteModule = (api, { db, engine }) => {
  api.route({
    method: 'post', path: '/applications', tag: 'applications', summary: 'Submit an application (申请); honours Idempotency-Key',
    roles: ['caseworker', 'village_assistant', 'county_officer'], body: ApplicationSchema,
    response: { status: 201, description: 'Case created', schema: z.object({ caseId: z.string().uuid() }) }, errors: [400, 403, 422],
  }, async ({ req, res, user, body }) => {
    requireScope(user, body.regionCode);
    const key = req.header('Idempotency-Key');
    const hash = requestHash(body);
    if (key) {
      const earlier = await replayed(db, user.sub, key, 'POST /applications', hash);
      if (earlier) return void res.status(earlier.status).json(earlier.body);
    }
    const today = shanghaiDate(Date.now());
    const receivedOn = body.receivedOn ?? today;
    if (receivedOn > today) throw unprocessable('INVALID_DATE', 'receivedOn is in the future');
    const region = await db('regions').where({ code: body.regionCode, level: 'TOWNSHIP' }).first('code');
    if (!region) throw unprocessable('UNKNOWN_REGION', `${body.regionCode} is not a township of this county`);
    const people = checkPeople(body, today);

    const caseId = key ? idempotentUuid(user.sub, key) : randomUUID();
    const householdId = key ? idempotentUuid(user.sub, `${key}:household`) : randomUUID();
    const publicise = body.household.members.some((m) => ageOn(m.birthDate, today) >= 18);
    await db.transaction(async (trx) => {
      if (await trx('cases').where({ id: caseId }).first('id')) return; // a retry after a crash before the answer
      await trx('households').insert({ id: householdId, region_code: body.regionCode, village_code: body.villageCode ?? null, residence: body.household.residence, address: body.address ?? null, economy: JSON.stringify(body.household) });
      await trx('members').insert(people.map((p) => ({ id: randomUUID(), household_id: householdId, ...p })));
      await trx('cases').insert({ id: caseId, process: 'application', workflow_id: applicationWorkflowId(caseId), household_id: householdId, region_code: body.regionCode, status: 'SUBMITTED', source: body.source, active_steps: JSON.stringify(['submit']), received_on: receivedOn, created_by: user.sub });
      await audit(trx, { actor: user.sub, role: user.role, action: 'case.submit', caseId, entity: 'case', entityId: caseId, after: { regionCode: body.regionCode, source: body.source, receivedOn, members: people.length } });
    });
    await engine.startApplication({ caseId, regionCode: body.regionCode, receivedOn, publicise });
    const answer = { caseId };
    if (key) await remember(db, user.sub, key, 'POST /applications', hash, 201, answer);
    return answer;
  });
};

/** Every member needs a valid ID number matching the birth date given for it; one person, one household member. */
function checkPeople(body: z.infer<typeof ApplicationSchema>, today: string) {
  const problems: { path: string; message: string }[] = [];
  const members = new Map(body.household.members.map((m) => [m.memberId, m]));
  const seen = new Set<string>();
  const rows = body.people.map((p, i) => {
    const m = members.get(p.memberId);
    const id = parseIdNumber(p.idNumber, { today });
    if (!m) problems.push({ path: `people.${i}.memberId`, message: `no household member ${p.memberId}` });
    if (!id.valid) problems.push({ path: `people.${i}.idNumber`, message: id.message });
    else {
      if (m && m.birthDate !== id.birthDate) problems.push({ path: `people.${i}.idNumber`, message: 'the birth date in the ID number differs from the member\'s birthDate' });
      if (seen.has(id.normalized)) problems.push({ path: `people.${i}.idNumber`, message: 'the same ID number appears twice' });
      seen.add(id.normalized);
    }
    return { member_key: p.memberId, name: p.name, id_number: id.valid ? id.normalized : p.idNumber, relation: m?.relation ?? 'OTHER', birth_date: id.valid ? id.birthDate : today, sex: id.valid ? id.sex : 'M' };
  });
  for (const memberId of members.keys()) {
    if (!body.people.some((p) => p.memberId === memberId)) problems.push({ path: 'people', message: `member ${memberId} has no name and ID number` });
  }
  if (problems.length) throw unprocessable('INVALID_PEOPLE', 'the household members are not consistent', problems);
  return rows;
}
