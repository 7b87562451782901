// Where each process's BPMN diagram lives: processes/<name>/<definition.bpmn>.
import { join } from 'node:path';
import type { AnyProcess } from '../engine/definition';

export const bpmnPath = (d: AnyProcess): string => join(__dirname, d.name, d.bpmn);
