// Every case process's diagram, as bpmn-js will read it (bpmn-moddle): no import warning (a duplicate id makes bpmn-js
// drop an element), every element drawn and reachable, and the definition's steps and tasks in the diagram both ways.
import { CASE_PROCESSES } from '../../processes';
import { ACTIVITY_TYPES, diagramOf, reachableFrom } from '../support/bpmn';

describe.each(CASE_PROCESSES.map((d) => [d.name, d] as const))('%s diagram', (_name, d) => {
  const { warnings, process: p, drawn } = diagramOf(d);
  const byId = new Map(p.elements.map((e) => [e.id, e]));

  it('imports into bpmn-moddle without a warning', () => {
    expect(warnings).toEqual([]);
  });

  it('is the process `<key>Process`, an id no element of it takes', () => {
    expect(p.id).toBe(`${d.name}Process`);
    expect(byId.has(p.id)).toBe(false);
  });

  it('draws every element and flow, and every flow and attachment resolves', () => {
    const ids = [...byId.keys(), ...p.flows.map((f) => f.id)];
    expect(ids.filter((id) => !drawn.has(id))).toEqual([]);
    expect([...drawn].filter((id) => !ids.includes(id))).toEqual([]); // no shape of the process itself or of nothing
    const dangling = [
      ...p.flows.flatMap((f) =>
        [f.sourceRef, f.targetRef].filter((ref) => !byId.has(ref)).map((ref) => `${f.id} → ${ref}`),
      ),
      ...Object.entries(p.boundaryAttachments)
        .filter(([, ref]) => !byId.has(ref))
        .map(([b, ref]) => `${b} @ ${ref}`),
    ];
    expect(dangling).toEqual([]);
  });

  it('reaches every element from its one start event', () => {
    const starts = p.elements.filter((e) => e.type === 'startEvent');
    expect(starts).toHaveLength(1);
    const reached = reachableFrom(p, starts[0].id);
    expect(p.elements.filter((e) => !reached.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it('draws every step the workflow reports, and reports every activity it draws', () => {
    const steps: readonly string[] = d.steps;
    expect(steps.filter((s) => !byId.has(s))).toEqual([]);
    const activities = p.elements.filter((e) => ACTIVITY_TYPES.includes(e.type)).map((e) => e.id);
    expect(activities.filter((id) => !steps.includes(id))).toEqual([]);
  });

  it('models every task type of the definition as a user task', () => {
    expect(Object.keys(d.tasks).filter((t) => byId.get(t)?.type !== 'userTask')).toEqual([]);
  });
});

describe('the diagram guard', () => {
  it('catches a duplicate id (what hid the chair task of caseConference.bpmn from bpmn-js)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'bpmn-')), 'dup.bpmn');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="same"><bpmn:userTask id="same" /></bpmn:process>
</bpmn:definitions>`,
    );
    const out = JSON.parse(
      execFileSync(process.execPath, [join(__dirname, '../support/bpmn-moddle.mjs'), file], { encoding: 'utf8' }),
    );
    expect(out[file].warnings.join(' ')).toContain('duplicate ID <same>');
  });
});
