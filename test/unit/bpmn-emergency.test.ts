// bpmn/emergency.bpmn against the emergency workflow's reportable steps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVITY_TYPES, parseBpmn, reachableFrom } from '../../domain/bpmn';
import { EMERGENCY_TASK_OUTCOMES } from '../../domain/glossary';
import { emergencyProcess } from '../../processes/emergency/definition';

describe('bpmn/emergency.bpmn', () => {
  const xml = readFileSync(join(__dirname, '../../processes/emergency/emergency.bpmn'), 'utf8');
  const p = parseBpmn(xml);
  const byId = new Map(p.elements.map((e) => [e.id, e]));
  const activityIds = p.elements.filter((e) => ACTIVITY_TYPES.includes(e.type)).map((e) => e.id);

  it('is the emergency process with unique ids, every flow and attachment resolving', () => {
    expect(p.id).toBe('emergency');
    const ids = [...p.elements.map((e) => e.id), ...p.flows.map((f) => f.id)];
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const missing = [
      ...p.flows.flatMap((f) => [f.sourceRef, f.targetRef].filter((ref) => !byId.has(ref))),
      ...Object.values(p.boundaryAttachments).filter((ref) => !byId.has(ref)),
    ];
    expect(missing).toEqual([]);
  });

  it('has a diagram shape for every element and an edge for every flow', () => {
    const drawn = new Set([...xml.matchAll(/bpmnElement="([^"]+)"/g)].map((m) => m[1]));
    expect([...byId.keys(), ...p.flows.map((f) => f.id)].filter((id) => !drawn.has(id))).toEqual([]);
  });

  it('contains every step the workflow reports', () => {
    expect(emergencyProcess.steps.filter((step) => !byId.has(step))).toEqual([]);
  });

  it('reaches every element from the start event', () => {
    const reached = reachableFrom(p, 'emergencyReported');
    expect(p.elements.filter((e) => !reached.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it('has no activity that is not a reportable step', () => {
    const reportable: readonly string[] = emergencyProcess.steps;
    expect(activityIds.filter((id) => !reportable.includes(id))).toEqual([]);
  });

  it('models human steps as user tasks, the conference as a call activity, deadlines as non-interrupting timers', () => {
    for (const id of Object.keys(EMERGENCY_TASK_OUTCOMES)) expect(byId.get(id)?.type).toBe('userTask');
    expect(byId.get('caseConference')?.type).toBe('callActivity');
    for (const [timer, task] of [['emergencyHandlingDeadline', 'emergencyAdvance'], ['justificationDeadline', 'justification'], ['stageReviewDeadline', 'stagedAssistance']]) {
      expect(p.boundaryAttachments[timer]).toBe(task);
      expect(new RegExp(`<bpmn:boundaryEvent id="${timer}"[^>]*>`).exec(xml)?.[0]).toContain('cancelActivity="false"');
    }
    // Each justification outcome leaves the gateway by its own flow; a stop ends the stages early.
    const outcomeFlows = p.flows.filter((f) => f.sourceRef === 'justificationOutcome').map((f) => f.targetRef).sort();
    expect(outcomeFlows).toEqual(['caseConference', 'noFurtherHelp', 'regularApplication', 'stagedAssistance']);
    expect(reachableFrom(p, 'stagePayment').has('stagedAssistance')).toBe(true);
  });
});
