// The application (认定) workflow against the time-skipping test server, with in-memory activities.
// Long waits (publicity, deadlines) are passed with env.sleep; Updates are sent while no timer needs to pass.
import { randomUUID } from 'node:crypto';
import { applicationProcess } from '../../processes/application/definition';
import { extendCaseUpdate } from '../../processes/application/messages';
import { completeTaskUpdate, fileObjectionUpdate, snapshotQuery } from '../../engine/messages';
import { addCalendarDays, WorkingDayCalendar } from '../../domain/calendar';
import { type Role } from '../../domain/glossary';
import { DEFAULT_ASSESSMENT } from './fake-activities';
import { eventually, expectRejected, sleepUntil } from './env';
import { useApplicationHarness, DAY, HOUR, REGION } from './application-harness';

jest.setTimeout(120_000);

const h = useApplicationHarness('application');
const { store, actor, taskId, today, closedOn, withWorker, startCase, complete, activeSteps, deadlineOf } = h;
const { toPublicity, publicityEnd, passPublicity } = h;
/** An assessment that finds no category: refusing it is no deviation. */
const INELIGIBLE = { ...DEFAULT_ASSESSMENT, category: null, coverage: 'NONE', monthlyAmount: 0 };

const calendar = () => new WorkingDayCalendar(store.calendarYears);

// ---- tests --------------------------------------------------------------------------------------------------------

describe('application workflow', () => {
  it('a. runs the happy path to approval and enrolment', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      expect(await activeSteps(c)).toEqual(['accept']);

      const afterAccept = await complete(c, 'accept', 'ACCEPTED');
      expect(afterAccept.activeSteps).toEqual(['homeVisit', 'economicCheck']);
      expect(afterAccept.status).toBe('IN_REVIEW');
      expect(afterAccept.openTasks.map((t) => t.taskId).sort()).toEqual(
        [taskId(c.caseId, 'economicCheck'), taskId(c.caseId, 'homeVisit')].sort(),
      );
      expect(await activeSteps(c)).toEqual(['homeVisit', 'economicCheck']);

      expect((await complete(c, 'homeVisit', 'DONE')).activeSteps).toEqual(['economicCheck']);
      const afterCheck = await complete(c, 'economicCheck', 'DONE');
      expect(afterCheck.activeSteps).toEqual(['firstReview']);
      expect(store.callsOf('assessCase', c.caseId)).toHaveLength(1);

      const afterReview = await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
      const postedOn = closedOn(c.caseId, 'firstReview');
      expect(afterReview.activeSteps).toEqual(['publicity']);
      expect(afterReview.status).toBe('IN_PUBLICITY');
      expect(afterReview.openTasks).toEqual([]);
      expect((await deadlineOf(c.caseId, 'firstReviewOpinion')).status).toBe('met');

      await h.env.sleep(7 * DAY + HOUR);
      // Publicity ends at the end of the 7th day after posting, so it may still be running 7 days + 1 h after posting.
      await passPublicity(c, postedOn);
      const snap = await c.handle.query(snapshotQuery);
      expect(snap.status).toBe('AWAITING_DECISION');
      expect(snap.openTasks.map((t) => t.taskId)).toEqual([taskId(c.caseId, 'confirm')]);

      const { category, monthlyAmount } = store.defaultAssessment;
      await complete(c, 'confirm', 'APPROVED', { category, monthlyAmount });
      const decidedOn = closedOn(c.caseId, 'confirm');
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });

      expect(store.callsOf('enrolRecipient', c.caseId)).toEqual([
        { caseId: c.caseId, decisionId: `${c.caseId}:decision:1` },
      ]);
      expect(store.decisionsOf(c.caseId)).toEqual([
        expect.objectContaining({ outcome: 'APPROVED', category, monthlyAmount, decidedOn }),
      ]);
      expect(store.recipients.get(c.caseId)).toMatchObject({ category, monthlyAmount });
      expect(store.case(c.caseId)).toMatchObject({
        status: 'APPROVED',
        activeSteps: [],
        acceptedOn: expect.any(String),
        decidedOn,
      });
      const deadlines = store.deadlinesOf(c.caseId);
      expect(deadlines.map((d) => d.kind).sort()).toEqual(['confirmation', 'firstReviewOpinion', 'wholeCase']);
      for (const d of deadlines)
        expect(d).toMatchObject({ status: 'met', metLate: false, statusHistory: ['pending', 'met'] });
      expect(store.noticesOf(c.caseId)).toEqual([]);
      expect(store.notificationsOf(c.caseId)).toEqual([]);
    }));

  it('b. publicity lasts 7 days, to the end of the 7th day after posting', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      const postedOn = await toPublicity(c);

      await h.env.sleep(6 * DAY);
      expect(await activeSteps(c)).toEqual(['publicity']);
      expect((await c.handle.query(snapshotQuery)).status).toBe('IN_PUBLICITY');

      await sleepUntil(h.env, publicityEnd(postedOn) - 60_000);
      expect(await activeSteps(c)).toEqual(['publicity']);

      await h.env.sleep(2 * 60_000);
      await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
      const confirmation = await deadlineOf(c.caseId, 'confirmation');
      expect(confirmation.startedOn).toBe(addCalendarDays(postedOn, 7));
      expect(confirmation.dueOn).toBe(
        calendar().addWorkingDays(addCalendarDays(postedOn, 7), applicationProcess.deadlines.confirmation.workingDays!)
          .due,
      );
    }));

  it('c. an objection during publicity reopens the investigation; outside publicity it is refused', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      await complete(c, 'accept', 'ACCEPTED');
      const early = await expectRejected(
        c.handle.executeUpdate(fileObjectionUpdate, {
          args: [{ reason: 'neighbour says they own a car', actor: actor('caseworker') }],
        }),
        'WRONG_STATE',
      );
      expect(early.message).toMatch(/only during publicity/);

      await complete(c, 'homeVisit', 'DONE');
      await complete(c, 'economicCheck', 'DONE');
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
      expect(await activeSteps(c)).toEqual(['publicity']);
      await h.env.sleep(2 * DAY);
      await expectRejected(
        c.handle.executeUpdate(fileObjectionUpdate, { args: [{ reason: '  ', actor: actor('caseworker') }] }),
        'INVALID_COMPLETION',
      );

      expect(
        await c.handle.executeUpdate(fileObjectionUpdate, {
          args: [{ reason: 'neighbour says they own a car', actor: actor('caseworker') }],
        }),
      ).toEqual({ accepted: true, audited: true });
      // its audit row went with the reopened steps' writes, as the caseworker who filed it
      expect(store.audits).toContainEqual(
        expect.objectContaining({
          caseId: c.caseId,
          action: 'case.objection',
          role: 'caseworker',
          reason: 'neighbour says they own a car',
        }),
      );
      const snap = await c.handle.query(snapshotQuery);
      expect(snap.status).toBe('IN_REVIEW');
      expect(snap.activeSteps).toEqual(['homeVisit', 'economicCheck']);
      expect(snap.openTasks.map((t) => t.taskId).sort()).toEqual(
        [taskId(c.caseId, 'economicCheck', 2), taskId(c.caseId, 'homeVisit', 2)].sort(),
      );
      expect(
        store
          .openTasksOf(c.caseId)
          .map((t) => t.taskId)
          .sort(),
      ).toEqual(snap.openTasks.map((t) => t.taskId).sort());

      await complete(c, 'homeVisit', 'DONE', {}, { n: 2 });
      await complete(c, 'economicCheck', 'DONE', {}, { n: 2 });
      expect(store.callsOf('assessCase', c.caseId)).toHaveLength(2);
      const again = await complete(c, 'firstReview', 'RECOMMEND_APPROVAL', {}, { n: 2 });
      const postedAgainOn = closedOn(c.caseId, 'firstReview', 2);
      expect(again.activeSteps).toEqual(['publicity']);
      expect(again.status).toBe('IN_PUBLICITY');

      // The second publicity runs its full 7 days from the new posting.
      await sleepUntil(h.env, publicityEnd(postedAgainOn) - HOUR);
      expect(await activeSteps(c)).toEqual(['publicity']);
      await passPublicity(c, postedAgainOn);
      await expectRejected(
        c.handle.executeUpdate(fileObjectionUpdate, { args: [{ reason: 'too late', actor: actor('caseworker') }] }),
        'WRONG_STATE',
      );
    }));

  it('d. refusal: the notice deadline runs 3 working days, goes overdue, then is met late', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      store.assessments.set(c.caseId, INELIGIBLE);
      const postedOn = await toPublicity(c);
      await passPublicity(c, postedOn);

      const snap = await complete(c, 'confirm', 'REFUSED', { reasons: ['income above the dibao standard'] });
      const decidedOn = closedOn(c.caseId, 'confirm');
      expect(snap.status).toBe('REFUSED');
      expect(snap.activeSteps).toEqual(['refusalNotice']);
      expect(snap.openTasks.map((t) => t.taskId)).toEqual([taskId(c.caseId, 'refusalNotice')]);

      const due = calendar().addWorkingDays(decidedOn, applicationProcess.deadlines.refusalNotice.workingDays!);
      const deadline = await deadlineOf(c.caseId, 'refusalNotice');
      expect(deadline).toMatchObject({
        status: 'pending',
        startedOn: decidedOn,
        workingDays: 3,
        dueOn: due.due,
        dueAt: due.dueAt,
        taskId: taskId(c.caseId, 'refusalNotice'),
      });
      expect(store.tasks.get(taskId(c.caseId, 'refusalNotice'))?.dueAt).toBe(due.dueAt);
      expect(store.decisionsOf(c.caseId)).toEqual([
        expect.objectContaining({ outcome: 'REFUSED', reasons: ['income above the dibao standard'], decidedOn }),
      ]);
      expect(store.noticesOf(c.caseId)).toEqual([
        expect.objectContaining({ noticeId: `${c.caseId}:REFUSAL:1`, status: 'DRAFT' }),
      ]);

      // Just before the end of the 3rd working day: still pending.
      await sleepUntil(h.env, Date.parse(due.dueAt) - HOUR);
      expect(store.deadline(c.caseId, 'refusalNotice')?.status).toBe('pending');
      await sleepUntil(h.env, Date.parse(due.dueAt) + HOUR);
      await eventually(() => expect(store.deadline(c.caseId, 'refusalNotice')?.status).toBe('overdue'));
      expect(store.callsOf('markDeadlineOverdue', c.caseId)).toEqual([
        expect.objectContaining({ kind: 'refusalNotice', dueOn: due.due }),
      ]);
      expect(store.notificationsOf(c.caseId)).toEqual([
        expect.objectContaining({ kind: 'refusalNotice', dueOn: due.due, to: 'supervisor', regionCode: REGION }),
      ]);
      expect(store.tasks.get(taskId(c.caseId, 'refusalNotice'))?.status).toBe('OPEN');
      expect((await c.handle.query(snapshotQuery)).openTasks.map((t) => t.type)).toEqual(['refusalNotice']);

      await complete(c, 'refusalNotice', 'ISSUED');
      expect(await c.handle.result()).toEqual({ status: 'REFUSED' });
      expect(store.deadline(c.caseId, 'refusalNotice')).toMatchObject({
        status: 'met',
        metLate: true,
        statusHistory: ['pending', 'overdue', 'met'],
      });
      expect(store.callsOf('issueNotice', c.caseId)).toHaveLength(1);
      expect(store.noticesOf(c.caseId)[0]).toMatchObject({ status: 'ISSUED', issuedBy: 'u1' });
      expect(store.callsOf('enrolRecipient', c.caseId)).toEqual([]);
    }));

  it('e. refusal notice issued in time: the deadline is met, not late, never overdue', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      store.assessments.set(c.caseId, INELIGIBLE);
      const postedOn = await toPublicity(c);
      await passPublicity(c, postedOn);
      await complete(c, 'confirm', 'REFUSED', { reasons: ['assets above the limit'] });
      await deadlineOf(c.caseId, 'refusalNotice');
      await h.env.sleep(HOUR);
      await complete(c, 'refusalNotice', 'ISSUED');
      expect(await c.handle.result()).toEqual({ status: 'REFUSED' });
      expect(store.deadline(c.caseId, 'refusalNotice')).toMatchObject({
        status: 'met',
        metLate: false,
        statusHistory: ['pending', 'met'],
      });
      expect(store.callsOf('markDeadlineOverdue', c.caseId)).toEqual([]);
      expect(store.notificationsOf(c.caseId)).toEqual([]);
      expect(store.callsOf('issueNotice', c.caseId)).toHaveLength(1);
    }));

  it('f. policy example: refused on 2026-09-30, the notice is due by the end of 2026-10-10 (a make-up Saturday)', () =>
    withWorker(async (run) => {
      expect((await today()) > '2026-10-10').toBe(true); // the example is back-dated, so it must lie in the past
      const c = await startCase(run, { receivedOn: '2026-09-01' });
      store.assessments.set(c.caseId, INELIGIBLE);
      await complete(c, 'accept', 'ACCEPTED', { effectiveOn: '2026-09-02' });
      await complete(c, 'homeVisit', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'economicCheck', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'firstReview', 'RECOMMEND_REFUSAL', { effectiveOn: '2026-09-10' });
      // Publicity posted on 2026-09-10 ended with 2026-09-17: the case goes straight on to confirmation.
      await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
      expect((await deadlineOf(c.caseId, 'confirmation')).startedOn).toBe('2026-09-17');
      await complete(c, 'confirm', 'REFUSED', {
        reasons: ['income above the dibao standard'],
        effectiveOn: '2026-09-30',
      });

      const deadline = await deadlineOf(c.caseId, 'refusalNotice');
      expect(deadline).toMatchObject({
        startedOn: '2026-09-30',
        dueOn: '2026-10-10',
        dueAt: '2026-10-10T15:59:59.999Z',
        provisional: false,
      });
      expect(store.tasks.get(taskId(c.caseId, 'refusalNotice'))).toMatchObject({
        status: 'OPEN',
        dueAt: '2026-10-10T15:59:59.999Z',
      });
      await eventually(() => expect(store.deadline(c.caseId, 'refusalNotice')?.status).toBe('overdue'));
      expect(store.notificationsOf(c.caseId)).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'refusalNotice', dueOn: '2026-10-10' })]),
      );
      expect(store.decisionsOf(c.caseId)[0]).toMatchObject({ outcome: 'REFUSED', decidedOn: '2026-09-30' });
      expect(store.case(c.caseId)).toMatchObject({ acceptedOn: '2026-09-02', decidedOn: '2026-09-30' });

      await complete(c, 'refusalNotice', 'ISSUED');
      expect(await c.handle.result()).toEqual({ status: 'REFUSED' });
      expect(store.deadline(c.caseId, 'refusalNotice')).toMatchObject({ status: 'met', metLate: true });
    }));

  it('g. the completion validator refuses bad requests with typed failures', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      const send = (id: string, outcome: string, data: Record<string, unknown>, role: Role) =>
        c.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: id, outcome, data, actor: actor(role) }] });
      const accept = taskId(c.caseId, 'accept');

      await expectRejected(send(`${c.caseId}:accept:9`, 'ACCEPTED', {}, 'caseworker'), 'TASK_NOT_FOUND');
      await expectRejected(send(taskId(randomUUID(), 'accept'), 'ACCEPTED', {}, 'caseworker'), 'TASK_NOT_FOUND');
      await expectRejected(send(accept, 'DONE', {}, 'caseworker'), 'INVALID_COMPLETION');
      await expectRejected(send(accept, 'ACCEPTED', {}, 'reviewer'), 'FORBIDDEN');
      await expectRejected(send(accept, 'RETURNED', {}, 'caseworker'), 'INVALID_COMPLETION');
      await expectRejected(send(accept, 'RETURNED', { missingDocuments: [] }, 'caseworker'), 'INVALID_COMPLETION');
      await expectRejected(
        send(accept, 'ACCEPTED', { effectiveOn: addCalendarDays(await today(), 1) }, 'caseworker'),
        'INVALID_COMPLETION',
      );
      await expectRejected(
        send(accept, 'ACCEPTED', { effectiveOn: addCalendarDays(c.input.receivedOn, -1) }, 'caseworker'),
        'INVALID_COMPLETION',
      );
      await expectRejected(send(accept, 'ACCEPTED', { unexpected: true }, 'caseworker'), 'INVALID_COMPLETION');
      // None of the refusals touched the case.
      expect(store.tasks.get(accept)?.status).toBe('OPEN');
      expect(store.callsOf('closeTask', c.caseId)).toEqual([]);

      await send(accept, 'ACCEPTED', {}, 'caseworker');
      await expectRejected(send(accept, 'ACCEPTED', {}, 'caseworker'), 'TASK_NOT_OPEN');
      expect(store.callsOf('closeTask', c.caseId)).toHaveLength(1);
      // admin may act for any role
      await send(taskId(c.caseId, 'homeVisit'), 'DONE', {}, 'admin');
      await complete(c, 'economicCheck', 'DONE');
      await expectRejected(send(taskId(c.caseId, 'firstReview'), 'RECOMMEND_APPROVAL', {}, 'caseworker'), 'FORBIDDEN');
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
      await passPublicity(c, closedOn(c.caseId, 'firstReview'));

      const confirm = taskId(c.caseId, 'confirm');
      const { category, monthlyAmount } = store.defaultAssessment;
      await expectRejected(send(confirm, 'APPROVED', { category, monthlyAmount }, 'reviewer'), 'FORBIDDEN');
      await expectRejected(send(confirm, 'REFUSED', {}, 'county_officer'), 'INVALID_COMPLETION');
      const deviation = await expectRejected(
        send(confirm, 'APPROVED', { category, monthlyAmount: monthlyAmount + 100 }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      expect(deviation.message).toMatch(/deviationReason/);
      expect(deviation.details).toEqual([{ assessed: { category, monthlyAmount } }]);
      await expectRejected(
        send(confirm, 'APPROVED', { category: 'TEKUN', monthlyAmount }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      expect(store.decisionsOf(c.caseId)).toEqual([]);

      await send(
        confirm,
        'APPROVED',
        { category, monthlyAmount: monthlyAmount + 100, deviationReason: 'medical costs not in the data' },
        'county_officer',
      );
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      expect(store.decisionsOf(c.caseId)).toEqual([
        expect.objectContaining({
          monthlyAmount: monthlyAmount + 100,
          deviationReason: 'medical costs not in the data',
        }),
      ]);
    }));

  it('h. returned at acceptance: the case ends RETURNED with no deadlines', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      const snap = await complete(c, 'accept', 'RETURNED', {
        missingDocuments: ['household register', 'income certificate'],
      });
      expect(snap.status).toBe('RETURNED');
      expect(snap.openTasks).toEqual([]);
      expect(await c.handle.result()).toEqual({ status: 'RETURNED' });
      expect(store.deadlinesOf(c.caseId)).toEqual([]);
      expect(store.callsOf('upsertDeadline', c.caseId)).toEqual([]);
      expect(store.case(c.caseId)).toMatchObject({
        status: 'RETURNED',
        returnedMissing: ['household register', 'income certificate'],
      });
      expect(store.tasks.get(taskId(c.caseId, 'accept'))).toMatchObject({ status: 'COMPLETED', outcome: 'RETURNED' });
      expect(store.callsOf('assessCase', c.caseId)).toEqual([]);
    }));

  it('i. the whole-case limit can be extended once by 15 working days', () =>
    withWorker(async (run) => {
      const c = await startCase(run);
      await complete(c, 'accept', 'ACCEPTED');
      const acceptedOn = closedOn(c.caseId, 'accept');
      expect(store.case(c.caseId).acceptedOn).toBe(acceptedOn);
      const cal = calendar();
      const before = await deadlineOf(c.caseId, 'wholeCase');
      expect(before.dueOn).toBe(cal.addWorkingDays(acceptedOn, 30).due);

      await expectRejected(
        c.handle.executeUpdate(extendCaseUpdate, { args: [{ reason: ' ', actor: actor('county_officer') }] }),
        'INVALID_COMPLETION',
      );
      const extended = await c.handle.executeUpdate(extendCaseUpdate, {
        args: [{ reason: 'cross-department data delayed', actor: actor('county_officer') }],
      });
      const expected = cal.addWorkingDays(acceptedOn, 45);
      expect(extended).toEqual({ dueOn: expected.due, audited: true });
      expect(store.audits).toContainEqual(
        expect.objectContaining({ caseId: c.caseId, action: 'case.extend', role: 'county_officer' }),
      );
      await eventually(() =>
        expect(store.deadline(c.caseId, 'wholeCase')).toMatchObject({
          status: 'pending',
          dueOn: expected.due,
          dueAt: expected.dueAt,
          extensionDays: 15,
          extensionReason: 'cross-department data delayed',
        }),
      );
      expect(store.deadline(c.caseId, 'wholeCase')?.dueHistory).toEqual([before.dueHistory[0], expected.due]);
      expect(cal.workingDaysBetween(before.dueHistory[0], expected.due)).toBe(15);

      const second = await expectRejected(
        c.handle.executeUpdate(extendCaseUpdate, {
          args: [{ reason: 'still waiting', actor: actor('county_officer') }],
        }),
        'WRONG_STATE',
      );
      expect(second.message).toMatch(/already been extended/);
      expect(store.deadline(c.caseId, 'wholeCase')?.dueOn).toBe(expected.due);
    }));
});
