// bpmn/caseConference.bpmn agrees with workflows/case-conference.ts: every reportable step drawn, every activity
// reachable and reportable, the human steps user tasks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVITY_TYPES, parseBpmn, reachableFrom } from '../../domain/bpmn';
import { CONFERENCE_TASK_OUTCOMES } from '../../domain/glossary';
import { caseConferenceProcess } from '../../processes/caseConference/definition';

describe('bpmn/caseConference.bpmn', () => {
  const xml = readFileSync(join(__dirname, '../../processes/caseConference/caseConference.bpmn'), 'utf8');
  const p = parseBpmn(xml);
  const byId = new Map(p.elements.map((e) => [e.id, e]));
  const activityIds = p.elements.filter((e) => ACTIVITY_TYPES.includes(e.type)).map((e) => e.id);

  it('is the caseConference process with unique ids, every flow between existing elements, every element drawn', () => {
    expect(p.id).toBe('caseConference');
    const ids = [...p.elements.map((e) => e.id), ...p.flows.map((f) => f.id)];
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(p.flows.flatMap((f) => [f.sourceRef, f.targetRef]).filter((ref) => !byId.has(ref))).toEqual([]);
    const drawn = new Set([...xml.matchAll(/bpmnElement="([^"]+)"/g)].map((m) => m[1]));
    expect(ids.filter((id) => !drawn.has(id))).toEqual([]);
  });

  it('has every reportable step of the workflow, and every activity is a reportable step', () => {
    expect(caseConferenceProcess.steps.filter((s) => !byId.has(s))).toEqual([]);
    expect(activityIds.filter((id) => !(caseConferenceProcess.steps as readonly string[]).includes(id))).toEqual([]);
  });

  it('reaches every element from the start event', () => {
    const reached = reachableFrom(p, 'escalationReceived');
    expect(p.elements.filter((e) => !reached.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it('models each human step as a user task with a non-interrupting deadline timer', () => {
    for (const [task, timer] of [['conferenceOpinion', 'conferenceOpinionDeadline'], ['caseConference', 'conferenceDecisionDeadline']]) {
      expect(Object.keys(CONFERENCE_TASK_OUTCOMES)).toContain(task);
      expect(byId.get(task)?.type).toBe('userTask');
      expect(p.boundaryAttachments[timer]).toBe(task);
      expect(new RegExp(`<bpmn:boundaryEvent id="${timer}"[^>]*cancelActivity="false"`).test(xml)).toBe(true);
    }
    expect(byId.get('reportDecision')?.type).toBe('serviceTask');
  });
});
