// The registry (processes/index.ts) against the worker's bundle entry and the names running cases depend on.
import * as bundleEntry from '../../processes/workflows';
import type { ProcessSlice } from '../../processes/slice';
import type { Knex } from 'knex';
import { CASE_PROCESSES, createActivities, PROCESSES, TASK_TYPES, TASKS } from '../../processes';
import * as engineMessages from '../../engine/messages';
import * as applicationMessages from '../../processes/application/messages';
import * as conferenceMessages from '../../processes/caseConference/messages';
import * as recipientMessages from '../../processes/recipient/messages';

describe('the registry', () => {
  it('lists exactly the workflow types processes/workflows.ts gives the worker', () => {
    const registered = PROCESSES.flatMap((p) => [...p.workflowTypes]).sort();
    expect(Object.keys(bundleEntry).sort()).toEqual(registered);
    for (const t of registered) expect(typeof (bundleEntry as Record<string, unknown>)[t]).toBe('function');
  });

  it("runs each case process's workflow under the process's own name", () => {
    for (const p of PROCESSES as readonly ProcessSlice[])
      if (p.definition) expect(p.workflowTypes).toContain(p.definition.name);
  });

  it('has each task type in one process only, so a task id names its process', () => {
    const all = CASE_PROCESSES.flatMap((d) => Object.keys(d.tasks));
    expect(all.filter((t, i) => all.indexOf(t) !== i)).toEqual([]);
    expect(TASK_TYPES).toHaveLength(all.length);
    expect(TASKS.confirm.process).toBe('application');
  });

  it(
    'gives every deadline kind a limit in working days or in calendar days, and every process statuses and ' + 'steps',
    () => {
      for (const d of CASE_PROCESSES) {
        for (const [kind, l] of Object.entries(d.deadlines)) {
          expect({ kind, counted: (l.workingDays === undefined) !== (l.calendarDays === undefined) }).toEqual({
            kind,
            counted: true,
          });
        }
        expect(d.statuses.length).toBeGreaterThan(0);
        expect(d.steps.length).toBeGreaterThan(0);
      }
    },
  );
});

describe('Temporal-visible names (running cases and recorded histories depend on them: never renamed)', () => {
  it('keeps the workflow ids', () => {
    const ids = Object.fromEntries(CASE_PROCESSES.map((d) => [d.name, d.workflowId('X')]));
    expect(ids).toEqual({
      application: 'application-X',
      recipient: 'recipient-X',
      emergency: 'emergency-X',
      warning: 'warning-X',
      caseConference: 'caseConference-X',
    });
  });

  it('keeps the Update, Query and Signal names', () => {
    const names = (m: Record<string, unknown>) =>
      Object.values(m).flatMap((v) =>
        v && typeof v === 'object' && 'name' in v && 'type' in v
          ? [`${(v as { type: string }).type}:${(v as { name: string }).name}`]
          : [],
      );
    expect(
      [
        ...names(engineMessages),
        ...names(applicationMessages),
        ...names(recipientMessages),
        ...names(conferenceMessages),
      ].sort(),
    ).toEqual([
      'query:activeSteps',
      'query:openDeadlines',
      'query:recipient',
      'query:snapshot',
      'signal:calendarUpdated',
      'signal:conferenceDecided',
      'update:completeTask',
      'update:extendCase',
      'update:fileObjection',
      'update:reportChange',
      'update:settled',
    ]);
  });

  it('keeps the activity names', () => {
    expect(Object.keys(createActivities({ db: {} as Knex })).sort()).toEqual([
      'actOnConferenceDecision',
      'applyConferenceAmount',
      'assessCase',
      'closeTask',
      'closeWarning',
      'draftRefusalNotice',
      'draftTerminationNotice',
      'enrolRecipient',
      'escalateDeadline',
      'generateMonthlyRoster',
      'issueNotice',
      'loadCalendar',
      'markDeadlineOverdue',
      'noteConferenceDecision',
      'noticeRenewalDue',
      'openConference',
      'openRecipientCase',
      'openRegularApplication',
      'openTask',
      'payConferenceDifference',
      'recordCaseProgress',
      'recordCheckOutcome',
      'recordConferenceDecision',
      'recordConferenceHandOff',
      'recordDecision',
      'recordEmergencyPayment',
      'recordJustification',
      'recordRecipientCheck',
      'recordRecipientSchedule',
      'recordStagePlan',
      'recordTakeoverFeedback',
      'recordTransition',
      'recordWarningFeedback',
      'recordWarningHandling',
      'runComparison',
      'settleDeadline',
      'startWarningWorkflows',
      'terminateRecipient',
      'updateStagePlan',
      'upsertDeadline',
    ]);
  });
});
