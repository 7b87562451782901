// BPMN diagrams as bpmn-moddle reads them (the library bpmn-js imports with), for the diagram tests. bpmn-moddle is
// an ES module, so test/support/bpmn-moddle.mjs runs in a child process; every diagram is read once per test file.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bpmnPath } from '../../processes/diagrams';
import { CASE_PROCESSES } from '../../processes';
import type { AnyProcess } from '../../engine/definition';

export interface BpmnElement {
  id: string;
  /** Local type name, e.g. 'userTask', 'exclusiveGateway', 'boundaryEvent'. */
  type: string;
  name?: string;
  /** Boundary events: false for a non-interrupting event. */
  cancelActivity?: boolean;
}
export interface BpmnFlow {
  id: string;
  sourceRef: string;
  targetRef: string;
}
export interface BpmnProcess {
  id: string;
  elements: BpmnElement[];
  flows: BpmnFlow[];
  /** Boundary event id → id of the activity it is attached to. */
  boundaryAttachments: Record<string, string>;
}
export interface Diagram {
  /** bpmn-moddle's import warnings: bpmn-js shows the diagram incompletely when there is any. */
  warnings: string[];
  process: BpmnProcess;
  /** Ids of the elements and flows the diagram draws (BPMNShape / BPMNEdge). */
  drawn: Set<string>;
}

/** The flow nodes that do work and can be reported as a step. */
export const ACTIVITY_TYPES = [
  'task',
  'userTask',
  'serviceTask',
  'receiveTask',
  'sendTask',
  'scriptTask',
  'manualTask',
  'businessRuleTask',
  'callActivity',
  'subProcess',
  'transaction',
  'adHocSubProcess',
];

let cache: Map<string, Diagram> | undefined;

/** Every case process's diagram, read by bpmn-moddle. */
export function diagrams(): Map<string, Diagram> {
  if (cache) return cache;
  const paths = CASE_PROCESSES.map((d) => bpmnPath(d));
  const out = execFileSync(process.execPath, [join(__dirname, 'bpmn-moddle.mjs'), ...paths], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as Record<string, { warnings: string[]; process: BpmnProcess; drawn: string[] }>;
  cache = new Map(
    CASE_PROCESSES.map((d) => {
      const r = parsed[bpmnPath(d)];
      return [d.name, { warnings: r.warnings, process: r.process, drawn: new Set(r.drawn) }];
    }),
  );
  return cache;
}

export function diagramOf(d: AnyProcess): Diagram {
  return diagrams().get(d.name)!;
}

/** Every element reachable from `startId` along sequence flows and boundary attachments. */
export function reachableFrom(p: BpmnProcess, startId: string): Set<string> {
  const next = new Map<string, string[]>();
  const link = (a: string, b: string) => next.set(a, [...(next.get(a) ?? []), b]);
  for (const f of p.flows) link(f.sourceRef, f.targetRef);
  for (const [boundary, activity] of Object.entries(p.boundaryAttachments)) link(activity, boundary);
  const seen = new Set<string>([startId]);
  const todo = [startId];
  while (todo.length) {
    for (const n of next.get(todo.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return seen;
}
