import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVITY_TYPES, parseBpmn, reachableFrom, type BpmnProcess } from '../../domain/bpmn';
import { APPLICATION_TASK_OUTCOMES, STEP_IDS } from '../../domain/glossary';
import { applicationProcess } from '../../processes/application/definition';

describe('parseBpmn / reachableFrom', () => {
  const prefixed = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:other="urn:other" id="d">
  <!-- <bpmn:userTask id="commentedOut" /> -->
  <bpmn:process id="p1" name="A &amp; B">
    <bpmn:startEvent id="start" name="开始 &lt;start&gt;" />
    <bpmn:userTask id="work" name='Do "it"'><bpmn:documentation><![CDATA[<bpmn:task id="inCdata"/>]]></bpmn:documentation></bpmn:userTask>
    <bpmn:boundaryEvent id="late" attachedToRef="work" cancelActivity="false"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>
    <bpmn:endEvent id="lateEnd" />
    <bpmn:endEvent id="end" />
    <other:userTask id="notBpmn" />
    <bpmn:serviceTask id="orphan" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end">
      <bpmn:conditionExpression>\${a &gt; 1}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="lateEnd" />
  </bpmn:process>
  <bpmn:process id="p2"><bpmn:task id="second" /></bpmn:process>
</bpmn:definitions>`;

  it('reads the first process with the bpmn: prefix, ignoring comments, CDATA and other namespaces', () => {
    const p = parseBpmn(prefixed);
    expect(p.id).toBe('p1');
    expect(p.elements).toEqual([
      { id: 'start', type: 'startEvent', name: '开始 <start>' },
      { id: 'work', type: 'userTask', name: 'Do "it"' },
      { id: 'late', type: 'boundaryEvent' },
      { id: 'lateEnd', type: 'endEvent' },
      { id: 'end', type: 'endEvent' },
      { id: 'orphan', type: 'serviceTask' },
    ]);
    expect(p.flows).toEqual([
      { id: 'f1', sourceRef: 'start', targetRef: 'work' },
      { id: 'f2', sourceRef: 'work', targetRef: 'end' },
      { id: 'f3', sourceRef: 'late', targetRef: 'lateEnd' },
    ]);
    expect(p.boundaryAttachments).toEqual({ late: 'work' });
  });

  it('reads a process in the default namespace', () => {
    const p = parseBpmn(`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
      <process id="plain"><startEvent id="s"/><task id="t"/><sequenceFlow id="f" sourceRef="s" targetRef="t"/></process>
    </definitions>`);
    expect(p.id).toBe('plain');
    expect(p.elements.map((e) => `${e.type}:${e.id}`)).toEqual(['startEvent:s', 'task:t']);
    expect(p.flows).toEqual([{ id: 'f', sourceRef: 's', targetRef: 't' }]);
  });

  it('rejects a document without a process', () => {
    expect(() => parseBpmn('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>')).toThrow(/no <process>/);
  });

  it('follows sequence flows and boundary events, and detects an unreachable task', () => {
    const p = parseBpmn(prefixed);
    const reached = reachableFrom(p, 'start');
    expect([...reached].sort()).toEqual(['end', 'late', 'lateEnd', 'start', 'work']);
    expect(reached.has('orphan')).toBe(false);
    expect(unreachableActivities(p, 'start')).toEqual(['orphan']);
  });

  it('does not follow boundary events of a node it never reaches', () => {
    const p = parseBpmn(prefixed);
    expect([...reachableFrom(p, 'end')]).toEqual(['end']);
  });
});

function unreachableActivities(p: BpmnProcess, startId: string): string[] {
  const reached = reachableFrom(p, startId);
  return p.elements.filter((e) => ACTIVITY_TYPES.includes(e.type) && !reached.has(e.id)).map((e) => e.id);
}

describe('bpmn/application.bpmn', () => {
  const xml = readFileSync(join(__dirname, '../../processes/application/application.bpmn'), 'utf8');
  const p = parseBpmn(xml);
  const byId = new Map(p.elements.map((e) => [e.id, e]));
  const activityIds = p.elements.filter((e) => ACTIVITY_TYPES.includes(e.type)).map((e) => e.id);

  it('is the application process with unique ids', () => {
    expect(p.id).toBe('application');
    const ids = [...p.elements.map((e) => e.id), ...p.flows.map((f) => f.id)];
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('(a) every sequence flow and boundary attachment refers to an existing element', () => {
    const missing = [
      ...p.flows.flatMap((f) => [f.sourceRef, f.targetRef].filter((ref) => !byId.has(ref)).map((ref) => `${f.id} → ${ref}`)),
      ...Object.entries(p.boundaryAttachments).filter(([, ref]) => !byId.has(ref)).map(([b, ref]) => `${b} @ ${ref}`),
    ];
    expect(missing).toEqual([]);
    for (const activity of Object.values(p.boundaryAttachments)) expect(ACTIVITY_TYPES).toContain(byId.get(activity)!.type);
  });

  it('has a diagram shape for every element and an edge for every flow', () => {
    const drawn = new Set([...xml.matchAll(/bpmnElement="([^"]+)"/g)].map((m) => m[1]));
    expect([...byId.keys(), ...p.flows.map((f) => f.id)].filter((id) => !drawn.has(id))).toEqual([]);
  });

  it('(b) every reportable step of the workflow is in the diagram', () => {
    expect(applicationProcess.steps.filter((step) => !byId.has(step))).toEqual([]);
  });

  it('(c) every activity and user task is reachable from the start event submit', () => {
    expect(byId.get('submit')?.type).toBe('startEvent');
    const reached = reachableFrom(p, 'submit');
    expect(unreachableActivities(p, 'submit')).toEqual([]);
    expect(p.elements.filter((e) => e.type === 'userTask' && !reached.has(e.id)).map((e) => e.id)).toEqual([]);
    // Events and gateways too: nothing in the diagram is dead.
    expect(p.elements.filter((e) => !reached.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it('(d) every activity in the diagram is a reportable step', () => {
    const reportable: readonly string[] = applicationProcess.steps;
    expect(activityIds.filter((id) => !reportable.includes(id))).toEqual([]);
  });

  it('(e) glossary steps are modelled with the right element type', () => {
    const humanSteps = Object.keys(APPLICATION_TASK_OUTCOMES);
    const expectedType = (id: string): string | undefined => {
      if (humanSteps.includes(id)) return 'userTask';
      if (id === 'assess' || id === 'enrol') return 'serviceTask';
      if (id === 'submit') return 'startEvent';
      if (id === 'publicity') return 'task';
      return undefined;
    };
    const stepIds: readonly string[] = STEP_IDS;
    const glossaryElements = p.elements.filter((e) => stepIds.includes(e.id));
    expect(glossaryElements.length).toBeGreaterThanOrEqual(applicationProcess.steps.length);
    const wrong = glossaryElements
      .filter((e) => expectedType(e.id) !== undefined && e.type !== expectedType(e.id))
      .map((e) => `${e.id}: ${e.type}, expected ${expectedType(e.id)}`);
    expect(wrong).toEqual([]);
    // Every human step of the application process is a userTask in the diagram.
    expect(humanSteps.filter((id) => byId.get(id)?.type !== 'userTask')).toEqual([]);
  });

  it('models the policy deadlines as non-interrupting timers and objections as an interrupting message', () => {
    const boundary = (id: string) => new RegExp(`<bpmn:boundaryEvent id="${id}"[^>]*>`).exec(xml)?.[0] ?? '';
    for (const [timer, task, overdue] of [
      ['firstReviewOpinionDeadline', 'firstReview', 'firstReviewOverdue'],
      ['confirmationDeadline', 'confirm', 'confirmationOverdue'],
      ['refusalNoticeDeadline', 'refusalNotice', 'refusalNoticeOverdue'],
    ]) {
      expect(p.boundaryAttachments[timer]).toBe(task);
      expect(boundary(timer)).toContain('cancelActivity="false"');
      expect(p.flows).toContainEqual(expect.objectContaining({ sourceRef: timer, targetRef: overdue }));
    }
    expect(p.boundaryAttachments.objection).toBe('publicity');
    expect(boundary('objection')).not.toContain('cancelActivity="false"');
    // The objection goes back to investigation: homeVisit and economicCheck are reachable from it.
    const fromObjection = reachableFrom(p, 'objection');
    expect(fromObjection.has('homeVisit') && fromObjection.has('economicCheck')).toBe(true);
  });
});
