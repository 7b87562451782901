// What one completion costs Temporal, read from the workflow histories after the run: the events, activities, local
// activities and workflow tasks between one Update's acceptance and the next. A segment starts at the workflow task
// that accepted the Update (its WorkflowTaskScheduled event), so the task that took the Update in is counted with it;
// the last segment runs to the end of the history (for Doudi: the decision, enrolment, the recipient's start).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

export interface Cost {
  events: number;
  activities: number;
  localActivities: number;
  workflowTasks: number;
  failedWorkflowTasks: number;
  timers: number;
  children: number;
  /** The events' size as the server stores them (protobuf), payloads included. */
  bytes: number;
}
export interface Segment {
  label: string;
  cost: Cost;
}
export interface CaseHistory {
  workflowId: string;
  segments: Segment[];
  total: Cost;
  children: string[];
}

const zero = (): Cost => ({
  events: 0,
  activities: 0,
  localActivities: 0,
  workflowTasks: 0,
  failedWorkflowTasks: 0,
  timers: 0,
  children: 0,
  bytes: 0,
});

export function addCost(a: Cost, b: Cost): Cost {
  const out = zero();
  for (const k of Object.keys(out) as (keyof Cost)[]) out[k] = a[k] + b[k];
  return out;
}

function costOf(events: HistoryEvent[]): Cost {
  const c = zero();
  for (const e of events) {
    c.events++;
    c.bytes += temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
    if (e.activityTaskScheduledEventAttributes) c.activities++;
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') c.localActivities++;
    if (e.workflowTaskCompletedEventAttributes) c.workflowTasks++;
    if (e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) c.failedWorkflowTasks++;
    if (e.timerStartedEventAttributes) c.timers++;
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) c.children++;
  }
  return c;
}

/** The first argument of an accepted Update, decoded (the default JSON payload converter). */
function updateArg(e: HistoryEvent): unknown {
  const p = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0];
  if (!p?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(p.data).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Splits a history by Update. `label(name, arg)` names a segment; segments labelled 'start' (and the events before the
 * first Update) make up the start of the case.
 */
export function segmentHistory(
  workflowId: string,
  events: HistoryEvent[],
  label: (name: string, arg: unknown) => string,
): CaseHistory {
  const starts: { at: number; label: string }[] = [];
  let lastScheduled = 0;
  events.forEach((e, i) => {
    if (e.workflowTaskScheduledEventAttributes) lastScheduled = i;
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const from = Math.max(lastScheduled, starts.at(-1)?.at ?? 0);
      starts.push({ at: from, label: label(accepted.acceptedRequest?.input?.name ?? '?', updateArg(e)) });
    }
  });
  const segments: Segment[] = [];
  const bounds = [{ at: 0, label: 'start' }, ...starts];
  for (let i = 0; i < bounds.length; i++) {
    const slice = events.slice(bounds[i].at, bounds[i + 1]?.at ?? events.length);
    const prev = segments.at(-1);
    if (bounds[i].label === 'start' && prev?.label === 'start') prev.cost = addCost(prev.cost, costOf(slice));
    else segments.push({ label: bounds[i].label, cost: costOf(slice) });
  }
  const children = events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  return { workflowId, segments, total: costOf(events), children };
}

export async function fetchEvents(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** Runs fn over items, `concurrency` at a time (history fetches in parallel without flooding the frontend). */
export async function mapLimit<T, R>(items: T[], concurrency: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}
