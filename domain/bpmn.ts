// A tiny BPMN 2.0 reader: enough of the process model to check a diagram against the workflow
// (element ids and types, sequence flows, boundary attachments). Pure and string-based, with no
// Node built-ins and no dependencies, so it can be imported from workflows, the API or tests.
// It is not a validating XML parser: it reads the first <process> of a well-formed file.

export interface BpmnElement {
  id: string;
  /** Local tag name, e.g. 'userTask', 'exclusiveGateway', 'boundaryEvent'. */
  type: string;
  name?: string;
}

export interface BpmnFlow {
  id: string;
  sourceRef: string;
  targetRef: string;
}

export interface BpmnProcess {
  id: string;
  /** Flow nodes (events, gateways, activities) in document order, nested sub-process contents included. */
  elements: BpmnElement[];
  flows: BpmnFlow[];
  /** Boundary event id → id of the activity it is attached to (attachedToRef). */
  boundaryAttachments: Record<string, string>;
}

export const BPMN_MODEL_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** Activities: the flow nodes that do work and can be reported as a step. */
export const ACTIVITY_TYPES: string[] = [
  'task', 'userTask', 'serviceTask', 'receiveTask', 'sendTask', 'scriptTask', 'manualTask', 'businessRuleTask',
  'callActivity', 'subProcess',
];

const EVENT_TYPES = ['startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent'];
const GATEWAY_TYPES = ['exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway', 'complexGateway'];
const SUBPROCESS_TYPES = ['transaction', 'adHocSubProcess'];

/** Every tag read as a flow node. */
export const FLOW_NODE_TYPES: string[] = [...ACTIVITY_TYPES, ...SUBPROCESS_TYPES, ...EVENT_TYPES, ...GATEWAY_TYPES];

const NAME = '[A-Za-z_][\\w.-]*';
const TAG_RE = new RegExp(`<(?:(${NAME}):)?(${NAME})((?:\\s+[^\\s=/>]+\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`, 'g');
const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of s.matchAll(ATTR_RE)) attrs[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
  return attrs;
}

interface Tag { prefix: string; local: string; attrs: Record<string, string>; selfClosing: boolean; index: number; end: number }

function* startTags(xml: string): Generator<Tag> {
  for (const m of xml.matchAll(TAG_RE)) {
    yield { prefix: m[1] ?? '', local: m[2], attrs: parseAttrs(m[3]), selfClosing: m[4] === '/', index: m.index!, end: m.index! + m[0].length };
  }
}

/** Blanks out comments, CDATA sections, processing instructions and DOCTYPE, keeping offsets. */
function stripNonMarkup(xml: string): string {
  return xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>/g, (s) => ' '.repeat(s.length));
}

/**
 * Reads the first <process> of a BPMN 2.0 document. The BPMN model namespace may be bound to any prefix
 * (usually `bpmn:` or `bpmn2:`) or be the default namespace; tags in other namespaces are ignored.
 */
export function parseBpmn(xml: string): BpmnProcess {
  const text = stripNonMarkup(xml);

  // Which prefixes denote the BPMN model namespace ('' = default namespace). Declarations are collected
  // from every tag (in practice they are all on <definitions>); if none is declared, accept any prefix.
  const bpmnPrefixes = new Set<string>();
  for (const tag of startTags(text)) {
    for (const [attr, value] of Object.entries(tag.attrs)) {
      if (value !== BPMN_MODEL_NS) continue;
      if (attr === 'xmlns') bpmnPrefixes.add('');
      else if (attr.startsWith('xmlns:')) bpmnPrefixes.add(attr.slice('xmlns:'.length));
    }
  }
  const isBpmn = (t: Tag) => bpmnPrefixes.size === 0 || bpmnPrefixes.has(t.prefix);

  let processTag: Tag | undefined;
  for (const tag of startTags(text)) {
    if (tag.local === 'process' && isBpmn(tag)) { processTag = tag; break; }
  }
  if (!processTag) throw new Error('parseBpmn: no <process> element found');
  if (!processTag.attrs.id) throw new Error('parseBpmn: <process> has no id');

  const result: BpmnProcess = { id: processTag.attrs.id, elements: [], flows: [], boundaryAttachments: {} };
  if (processTag.selfClosing) return result;

  const closeRe = new RegExp(`</${processTag.prefix ? `${processTag.prefix}:` : ''}process\\s*>`, 'g');
  closeRe.lastIndex = processTag.end;
  const close = closeRe.exec(text);
  if (!close) throw new Error(`parseBpmn: <process id="${result.id}"> is not closed`);
  const body = text.slice(processTag.end, close.index);

  for (const tag of startTags(body)) {
    if (!isBpmn(tag)) continue;
    const { id } = tag.attrs;
    if (tag.local === 'sequenceFlow') {
      if (!id || !tag.attrs.sourceRef || !tag.attrs.targetRef) {
        throw new Error(`parseBpmn: sequenceFlow ${id ?? '(no id)'} needs id, sourceRef and targetRef`);
      }
      result.flows.push({ id, sourceRef: tag.attrs.sourceRef, targetRef: tag.attrs.targetRef });
    } else if (FLOW_NODE_TYPES.includes(tag.local)) {
      if (!id) throw new Error(`parseBpmn: <${tag.local}> without id`);
      const element: BpmnElement = { id, type: tag.local };
      if (tag.attrs.name !== undefined) element.name = tag.attrs.name;
      result.elements.push(element);
      if (tag.local === 'boundaryEvent') {
        if (!tag.attrs.attachedToRef) throw new Error(`parseBpmn: boundaryEvent ${id} has no attachedToRef`);
        result.boundaryAttachments[id] = tag.attrs.attachedToRef;
      }
    }
  }
  return result;
}

/**
 * Ids reachable from `startId` (included), following sequence flows and, from an activity,
 * the boundary events attached to it. Sub-process contents are not entered.
 */
export function reachableFrom(p: BpmnProcess, startId: string): Set<string> {
  const types = new Map(p.elements.map((e) => [e.id, e.type]));
  const next = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  };
  for (const f of p.flows) link(f.sourceRef, f.targetRef);
  for (const [boundary, activity] of Object.entries(p.boundaryAttachments)) {
    if (ACTIVITY_TYPES.includes(types.get(activity) ?? '') || SUBPROCESS_TYPES.includes(types.get(activity) ?? '')) {
      link(activity, boundary);
    }
  }

  const seen = new Set<string>();
  const queue = [startId];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next.get(id) ?? []) if (!seen.has(n)) queue.push(n);
  }
  return seen;
}
