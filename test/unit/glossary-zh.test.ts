// The console's Chinese names (domain/glossary-zh.ts, pure data so the bundle carries no process code) are the
// processes' own: every task type, deadline kind, status, step and process of the registry, with the same labels.
import { CASE_PROCESSES, CASE_STATUSES, TASKS } from '../../processes';
import {
  CASE_STATUS_ZH,
  DEADLINE_KIND_ZH,
  OUTCOME_ZH,
  PROCESS_ZH,
  STEP_ZH,
  TASK_TYPE_ZH,
} from '../../domain/glossary-zh';

describe('the Chinese glossary of the console', () => {
  it('names every task type as its process does, and every outcome', () => {
    expect(TASK_TYPE_ZH).toEqual(Object.fromEntries(Object.entries(TASKS).map(([type, spec]) => [type, spec.label])));
    const outcomes = new Set(Object.values(TASKS).flatMap((t) => Object.keys(t.outcomes)));
    expect([...outcomes].filter((o) => !OUTCOME_ZH[o])).toEqual([]);
  });

  it('names every deadline kind as its process does', () => {
    const labels = Object.fromEntries(
      CASE_PROCESSES.flatMap((d) => Object.entries(d.deadlines).map(([k, l]) => [k, (l as { label: string }).label])),
    );
    expect(DEADLINE_KIND_ZH).toEqual(labels);
  });

  it('names every status, step and process', () => {
    expect(CASE_STATUSES.filter((s) => !CASE_STATUS_ZH[s])).toEqual([]);
    expect(CASE_PROCESSES.flatMap((d) => [...d.steps]).filter((s) => !STEP_ZH[s])).toEqual([]);
    expect(Object.fromEntries(CASE_PROCESSES.map((d) => [d.name, PROCESS_ZH[d.name]]))).toEqual(
      Object.fromEntries(CASE_PROCESSES.map((d) => [d.name, d.label])),
    );
  });
});
