// Reads BPMN files with bpmn-moddle — the library bpmn-js itself imports diagrams with — and prints, as JSON, what
// test/support/bpmn.ts needs: the import warnings, the first process's flow elements, flows and boundary attachments,
// and the ids the diagram (DI) draws. An ES module because bpmn-moddle is one; jest runs it as a child process.
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';

const moddle = new BpmnModdle();

function flowNodes(container, out) {
  for (const el of container.flowElements ?? []) {
    const type = el.$type.replace(/^bpmn:/, '');
    if (type === 'SequenceFlow') {
      out.flows.push({ id: el.id, sourceRef: el.sourceRef?.id, targetRef: el.targetRef?.id });
      continue;
    }
    const node = { id: el.id, type: type[0].toLowerCase() + type.slice(1), name: el.name };
    if (type === 'BoundaryEvent') {
      out.boundaryAttachments[el.id] = el.attachedToRef?.id;
      node.cancelActivity = el.cancelActivity !== false;
    }
    out.elements.push(node);
    if (el.flowElements) flowNodes(el, out);
  }
}

const results = {};
for (const path of process.argv.slice(2)) {
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(path, 'utf8'));
  const proc = rootElement.rootElements.find((e) => e.$type === 'bpmn:Process');
  const out = { id: proc?.id, elements: [], flows: [], boundaryAttachments: {} };
  if (proc) flowNodes(proc, out);
  const drawn = [];
  for (const d of rootElement.diagrams ?? []) {
    for (const shape of d.plane?.planeElement ?? []) if (shape.bpmnElement?.id) drawn.push(shape.bpmnElement.id);
  }
  results[path] = { warnings: warnings.map((w) => w.message), process: out, drawn };
}
process.stdout.write(JSON.stringify(results));
