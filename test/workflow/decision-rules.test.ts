// Issue 10 on the time-skipping server: refusing an eligible household is a deviation (item 3), the confirming level
// is the region's policy (item 4), one calendar for every running case (item 5), timely on paper is timely (item 6).
// Helpers as in test/workflow/application.test.ts.
import { completeTaskUpdate } from '../../engine/messages';
import { SEED_CALENDAR_YEARS, startOfDayShanghai, WorkingDayCalendar } from '../../domain/calendar';
import { type Role } from '../../domain/glossary';
import { DEFAULT_ASSESSMENT } from './fake-activities';
import { type AssessmentSummary } from '../../processes/application/activities';
import { eventually, expectRejected, sleepUntil } from './env';
import { useApplicationHarness, HOUR, type Case, type Run } from './application-harness';

jest.setTimeout(120_000);

const h = useApplicationHarness('rules');
const {
  store,
  actor,
  taskId,
  today,
  closedOn,
  withWorker,
  startCase,
  complete,
  activeSteps,
  passPublicity,
  deadlineOf,
} = h;
/** An assessment that finds no category: refusing it is no deviation. */
const INELIGIBLE: AssessmentSummary = { ...DEFAULT_ASSESSMENT, category: null, coverage: 'NONE', monthlyAmount: 0 };

// ---- tests --------------------------------------------------------------------------------------------------------

/** A case to confirmation with today's acts; the assessment as given. */
async function toConfirm(run: Run, assessment: AssessmentSummary): Promise<Case> {
  const c = await startCase(run, { publicise: false });
  store.assessments.set(c.caseId, assessment);
  await complete(c, 'accept', 'ACCEPTED');
  await complete(c, 'homeVisit', 'DONE');
  await complete(c, 'economicCheck', 'DONE');
  await complete(c, 'firstReview', 'RECOMMEND_REFUSAL', {}, { role: 'reviewer' });
  await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
  return c;
}

const send = (c: Case, outcome: string, data: Record<string, unknown>, role: Role) =>
  c.handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: taskId(c.caseId, 'confirm'), outcome, data, actor: actor(role) }],
  });

describe('item 3: a decision departing from the assessment needs a written reason, refusals included', () => {
  it('refusing a household assessed DIBAO is refused without a deviationReason, recorded with one', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...DEFAULT_ASSESSMENT, confirmingLevel: 'COUNTY' });
      const refused = await expectRejected(
        send(c, 'REFUSED', { reasons: ['家庭人均收入高于当地低保标准'] }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      expect(refused.message).toMatch(/deviationReason/);
      expect(refused.details).toEqual([{ assessed: { category: 'DIBAO', monthlyAmount: 420 } }]);
      expect(store.decisionsOf(c.caseId)).toEqual([]);
      await send(
        c,
        'REFUSED',
        { reasons: ['家庭人均收入高于当地低保标准'], deviationReason: '入户发现隐瞒经营收入' },
        'county_officer',
      );
      await eventually(() =>
        expect(store.decisionsOf(c.caseId)).toEqual([
          expect.objectContaining({ outcome: 'REFUSED', deviationReason: '入户发现隐瞒经营收入' }),
        ]),
      );
    }));

  it('approving a household assessed ineligible needs a reason; refusing it does not', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...INELIGIBLE, confirmingLevel: 'COUNTY' });
      await expectRejected(
        send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 300 }, 'county_officer'),
        'INVALID_COMPLETION',
      );
      await send(c, 'REFUSED', { reasons: ['家庭人均收入高于当地低保标准'] }, 'county_officer');
      await eventually(() => expect(store.decisionsOf(c.caseId)).toHaveLength(1));
      expect(store.decisionsOf(c.caseId)[0].deviationReason).toBeUndefined();
    }));
});

describe('item 4: the confirming level is the region’s policy, recorded with the decision', () => {
  it('TOWNSHIP (the default): the township reviewer confirms, the county officer may not', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...DEFAULT_ASSESSMENT, confirmingLevel: 'TOWNSHIP' });
      expect(store.tasks.get(taskId(c.caseId, 'confirm'))?.candidateRole).toBe('reviewer');
      await expectRejected(
        send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'county_officer'),
        'FORBIDDEN',
      );
      await send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'reviewer');
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      expect(store.decisionsOf(c.caseId)[0]).toMatchObject({
        confirmingLevel: 'TOWNSHIP',
        actor: { role: 'reviewer' },
      });
    }));

  it('COUNTY: the county officer confirms', () =>
    withWorker(async (run) => {
      const c = await toConfirm(run, { ...DEFAULT_ASSESSMENT, confirmingLevel: 'COUNTY' });
      expect(store.tasks.get(taskId(c.caseId, 'confirm'))?.candidateRole).toBe('county_officer');
      await expectRejected(send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'reviewer'), 'FORBIDDEN');
      await send(c, 'APPROVED', { category: 'DIBAO', monthlyAmount: 420 }, 'county_officer');
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      expect(store.decisionsOf(c.caseId)[0]).toMatchObject({ confirmingLevel: 'COUNTY' });
    }));
});

describe('item 6: timely on paper is timely', () => {
  it('a back-dated case on time on paper: met on time, the township alert kept, the county never told', () =>
    withWorker(async (run) => {
      expect((await today()) > '2026-10-15').toBe(true);
      const c = await startCase(run, { receivedOn: '2026-09-01', publicise: false });
      await complete(c, 'accept', 'ACCEPTED', { effectiveOn: '2026-09-02' });
      // Every deadline of the case was due before it was entered: the timers ran out at once.
      await eventually(() => expect(store.deadline(c.caseId, 'firstReviewOpinion')?.status).toBe('overdue'));
      await complete(c, 'homeVisit', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'economicCheck', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL', { effectiveOn: '2026-09-10' });
      await eventually(async () => expect(await activeSteps(c)).toEqual(['confirm']));
      await complete(c, 'confirm', 'APPROVED', { category: 'DIBAO', monthlyAmount: 420, effectiveOn: '2026-09-18' });
      expect(await c.handle.result()).toEqual({ status: 'APPROVED' });
      const deadlines = store.deadlinesOf(c.caseId);
      expect(deadlines.map((d) => d.kind).sort()).toEqual(['confirmation', 'firstReviewOpinion', 'wholeCase']);
      for (const d of deadlines) {
        // Supervisors were alerted when the timer ran out; that stays on record, but the act was on time.
        expect(d).toMatchObject({ status: 'met', metLate: false, escalationLevel: 1 });
        expect(d.statusHistory).toEqual(['pending', 'overdue', 'met']);
      }
      expect(store.callsOf('escalateDeadline', c.caseId)).toEqual([]);
    }));

  it('an act late on paper is still met late', () =>
    withWorker(async (run) => {
      const c = await startCase(run, { receivedOn: '2026-09-01', publicise: false });
      await complete(c, 'accept', 'ACCEPTED', { effectiveOn: '2026-09-02' });
      await complete(c, 'homeVisit', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'economicCheck', 'DONE', { effectiveOn: '2026-09-08' });
      await complete(c, 'firstReview', 'RECOMMEND_APPROVAL', { effectiveOn: '2026-09-30' });
      await eventually(() =>
        expect(store.deadline(c.caseId, 'firstReviewOpinion')).toMatchObject({ status: 'met', metLate: true }),
      );
    }));
});

describe('item 5: one calendar for every running case', () => {
  it('a deadline computed after a year is loaded uses it, and the case recomputes its provisional ones', () =>
    withWorker(async (run) => {
      // The example of the issue (today 2026-12-02) in whatever December the test server's clock reaches: a case in
      // December of year Y whose next year is not loaded; publicity posted on Y-12-17 ends Y-12-24.
      let y = Number((await today()).slice(0, 4));
      if ((await today()) > `${y}-12-10`) y++;
      await sleepUntil(h.env, startOfDayShanghai(`${y}-12-01`).getTime() + 10 * HOUR);
      const seeded = store.calendarYears;
      const through = (last: number) => [
        ...SEED_CALENDAR_YEARS.filter((c) => c.year <= last),
        // Years after the seeded ones, up to `last`, with no holidays (only what the example needs).
        ...Array.from({ length: Math.max(0, last - 2026) }, (_, i) => ({
          year: 2027 + i,
          holidays: [],
          makeupWorkdays: [],
        })),
      ];
      // Next year's made-up schedule: New Year 1–3 January.
      const next = { year: y + 1, holidays: [1, 2, 3].map((d) => `${y + 1}-01-0${d}`), makeupWorkdays: [] };
      try {
        store.calendarYears = through(y);
        const c = await startCase(run);
        await complete(c, 'accept', 'ACCEPTED');
        const whole = await deadlineOf(c.caseId, 'wholeCase');
        expect(whole.provisional).toBe(true); // 30 working days from December reach into next year
        await complete(c, 'homeVisit', 'DONE');
        await complete(c, 'economicCheck', 'DONE');
        // An admin loads next year; this workflow is not signalled (the route tells only some cases).
        store.calendarYears = [...through(y), next];
        const posted = `${y}-12-17`;
        await sleepUntil(h.env, startOfDayShanghai(posted).getTime() + 10 * HOUR);
        await complete(c, 'firstReview', 'RECOMMEND_APPROVAL');
        expect(closedOn(c.caseId, 'firstReview')).toBe(posted);
        // Publicity ends Y-12-24; confirmation is due 10 working days later, in the next year.
        await passPublicity(c, posted);
        const ended = `${y}-12-24`;
        const withYear = new WorkingDayCalendar(store.calendarYears);
        const confirmation = await deadlineOf(c.caseId, 'confirmation');
        expect(confirmation).toMatchObject({
          startedOn: ended,
          dueOn: withYear.addWorkingDays(ended, 10).due,
          provisional: false,
        });
        expect(confirmation.dueOn).not.toBe(new WorkingDayCalendar(through(y)).addWorkingDays(ended, 10).due);
        // The open whole-case deadline that reached into the next year was recomputed with it.
        await eventually(() =>
          expect(store.deadline(c.caseId, 'wholeCase')).toMatchObject({
            provisional: false,
            dueOn: withYear.addWorkingDays(whole.startedOn, 30).due,
          }),
        );
        expect(store.tasks.get(taskId(c.caseId, 'confirm'))?.dueAt).toBe(confirmation.dueAt);
      } finally {
        store.calendarYears = seeded;
      }
    }));
});
