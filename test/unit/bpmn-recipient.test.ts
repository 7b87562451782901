// bpmn/recipient.bpmn against the recipient workflow's reportable steps and deadlines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVITY_TYPES, parseBpmn, reachableFrom } from '../../domain/bpmn';
import { RECIPIENT_TASK_OUTCOMES } from '../../domain/glossary';
import { recipientProcess } from '../../processes/recipient/definition';

describe('bpmn/recipient.bpmn', () => {
  const xml = readFileSync(join(__dirname, '../../processes/recipient/recipient.bpmn'), 'utf8');
  const p = parseBpmn(xml);
  const byId = new Map(p.elements.map((e) => [e.id, e]));
  const activityIds = p.elements.filter((e) => ACTIVITY_TYPES.includes(e.type)).map((e) => e.id);

  it('is the recipient process with unique ids, every flow and attachment resolving', () => {
    expect(p.id).toBe('recipient');
    const ids = [...p.elements.map((e) => e.id), ...p.flows.map((f) => f.id)];
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect([
      ...p.flows.flatMap((f) => [f.sourceRef, f.targetRef].filter((ref) => !byId.has(ref))),
      ...Object.values(p.boundaryAttachments).filter((ref) => !byId.has(ref)),
    ]).toEqual([]);
  });

  it('has a diagram shape for every element and an edge for every flow', () => {
    const drawn = new Set([...xml.matchAll(/bpmnElement="([^"]+)"/g)].map((m) => m[1]));
    expect([...byId.keys(), ...p.flows.map((f) => f.id)].filter((id) => !drawn.has(id))).toEqual([]);
  });

  it('contains every step the workflow reports, and every activity is a reportable step', () => {
    const reportable: readonly string[] = recipientProcess.steps;
    expect(reportable.filter((step) => !byId.has(step))).toEqual([]);
    expect(activityIds.filter((id) => !reportable.includes(id))).toEqual([]);
  });

  it('reaches every element from the start event enrol', () => {
    expect(byId.get('enrol')?.type).toBe('startEvent');
    const reached = reachableFrom(p, 'enrol');
    expect(p.elements.filter((e) => !reached.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it('models every human step as a user task, with its deadline as a non-interrupting timer', () => {
    expect(Object.keys(RECIPIENT_TASK_OUTCOMES).filter((t) => byId.get(t)?.type !== 'userTask')).toEqual([]);
    const boundary = (id: string) => new RegExp(`<bpmn:boundaryEvent id="${id}"[^>]*>`).exec(xml)?.[0] ?? '';
    for (const [timer, task] of [['annualRecheckDeadline', 'annualRecheck'], ['periodicCheckDeadline', 'periodicCheck'], ['changeCheckDeadline', 'changeReport'], ['terminationNoticeDeadline', 'terminate']]) {
      expect(p.boundaryAttachments[timer]).toBe(task);
      expect(boundary(timer)).toContain('cancelActivity="false"');
    }
  });

  it('sends an objection during TEKUN publicity back to a check', () => {
    expect(p.boundaryAttachments.objection).toBe('publicity');
    const fromObjection = reachableFrom(p, 'objection');
    expect(['annualRecheck', 'periodicCheck', 'changeReport'].every((t) => fromObjection.has(t))).toBe(true);
  });
});
