// What each process's diagram says beyond the shared rules of bpmn-diagrams.test.ts: its deadlines as non-interrupting
// timers on the tasks they watch, and the paths that matter (objections, outcomes, stages).
import { applicationProcess } from '../../processes/application/definition';
import { caseConferenceProcess } from '../../processes/caseConference/definition';
import { emergencyProcess } from '../../processes/emergency/definition';
import { recipientProcess } from '../../processes/recipient/definition';
import { CASE_PROCESSES } from '../../processes';
import { diagramOf, reachableFrom } from '../support/bpmn';

/** Deadline kinds that span a whole case rather than one task: no timer is drawn for them. */
const CASE_WIDE = ['wholeCase'];

describe.each(CASE_PROCESSES.map((d) => [d.name, d] as const))('%s deadlines', (_name, d) => {
  const { process: p } = diagramOf(d);
  it('draws every deadline kind as a non-interrupting timer `<kind>Deadline` on an activity', () => {
    const byId = new Map(p.elements.map((e) => [e.id, e]));
    for (const kind of Object.keys(d.deadlines).filter((k) => !CASE_WIDE.includes(k))) {
      const timer = byId.get(`${kind}Deadline`);
      expect({ kind, type: timer?.type, cancelActivity: timer?.cancelActivity }).toEqual({
        kind,
        type: 'boundaryEvent',
        cancelActivity: false,
      });
      expect(p.boundaryAttachments[`${kind}Deadline`]).toBeDefined();
    }
  });
});

describe('application.bpmn', () => {
  const { process: p } = diagramOf(applicationProcess);
  const byId = new Map(p.elements.map((e) => [e.id, e]));

  it('starts at submit and models assess and enrol as service tasks, publicity as a task', () => {
    expect(byId.get('submit')?.type).toBe('startEvent');
    expect([byId.get('assess')?.type, byId.get('enrol')?.type, byId.get('publicity')?.type]).toEqual([
      'serviceTask',
      'serviceTask',
      'task',
    ]);
  });

  it('times the first review, the confirmation and the refusal notice, each with an overdue path', () => {
    for (const [timer, task, overdue] of [
      ['firstReviewOpinionDeadline', 'firstReview', 'firstReviewOverdue'],
      ['confirmationDeadline', 'confirm', 'confirmationOverdue'],
      ['refusalNoticeDeadline', 'refusalNotice', 'refusalNoticeOverdue'],
    ]) {
      expect(p.boundaryAttachments[timer]).toBe(task);
      expect(p.flows).toContainEqual(expect.objectContaining({ sourceRef: timer, targetRef: overdue }));
    }
  });

  it('sends an objection during publicity back to the investigation (an interrupting event)', () => {
    expect(p.boundaryAttachments.objection).toBe('publicity');
    expect(byId.get('objection')?.cancelActivity).toBe(true);
    const fromObjection = reachableFrom(p, 'objection');
    expect(fromObjection.has('homeVisit') && fromObjection.has('economicCheck')).toBe(true);
  });
});

describe('recipient.bpmn', () => {
  const { process: p } = diagramOf(recipientProcess);
  it('starts at enrol and times each check and the termination notice', () => {
    expect(p.elements.find((e) => e.id === 'enrol')?.type).toBe('startEvent');
    for (const [timer, task] of [
      ['annualRecheckDeadline', 'annualRecheck'],
      ['periodicCheckDeadline', 'periodicCheck'],
      ['changeCheckDeadline', 'changeReport'],
      ['terminationNoticeDeadline', 'terminate'],
    ]) {
      expect(p.boundaryAttachments[timer]).toBe(task);
    }
  });

  it('sends an objection during TEKUN publicity back to a check', () => {
    expect(p.boundaryAttachments.objection).toBe('publicity');
    const fromObjection = reachableFrom(p, 'objection');
    expect(['annualRecheck', 'periodicCheck', 'changeReport'].every((t) => fromObjection.has(t))).toBe(true);
  });
});

describe('emergency.bpmn', () => {
  const { process: p } = diagramOf(emergencyProcess);
  it('models the conference as a call activity and times the advance, the justification and each stage review', () => {
    expect(p.elements.find((e) => e.id === 'caseConference')?.type).toBe('callActivity');
    for (const [timer, task] of [
      ['emergencyHandlingDeadline', 'emergencyAdvance'],
      ['justificationDeadline', 'justification'],
      ['stageReviewDeadline', 'stagedAssistance'],
    ]) {
      expect(p.boundaryAttachments[timer]).toBe(task);
    }
  });

  it('leaves the justification gateway by one flow per outcome, and a stage payment leads to the next review', () => {
    const outcomeFlows = p.flows
      .filter((f) => f.sourceRef === 'justificationOutcome')
      .map((f) => f.targetRef)
      .sort();
    expect(outcomeFlows).toEqual(['caseConference', 'noFurtherHelp', 'regularApplication', 'stagedAssistance']);
    expect(reachableFrom(p, 'stagePayment').has('stagedAssistance')).toBe(true);
  });
});

describe('caseConference.bpmn', () => {
  const { process: p } = diagramOf(caseConferenceProcess);
  it('times each department opinion and the chair decision, and reports the decision by a service task', () => {
    expect(p.boundaryAttachments.conferenceOpinionDeadline).toBe('conferenceOpinion');
    expect(p.boundaryAttachments.conferenceDecisionDeadline).toBe('caseConference');
    expect(p.elements.find((e) => e.id === 'reportDecision')?.type).toBe('serviceTask');
  });
});
