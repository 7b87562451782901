// The shapes the console reads from the API (see /openapi.json for the full contract).
import type { Role } from '../../../domain/glossary';

/** The JSON Schema subset z.toJSONSchema produces for the task data (api/task-forms.ts). */
export interface JsonSchema {
  type?: string | string[]; title?: string; description?: string; properties?: Record<string, JsonSchema>; required?: string[];
  items?: JsonSchema; enum?: unknown[]; const?: unknown; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; pattern?: string; format?: string;
  minimum?: number; maximum?: number; exclusiveMinimum?: number; minLength?: number; maxLength?: number; minItems?: number; maxItems?: number; default?: unknown;
}

export interface TaskView {
  id: string; caseId: string; type: string; regionCode: string; candidateRole: Role; assignee: string | null; status: string; outcome: string | null;
  createdAt: string; dueAt: string | null; completedAt: string | null; completedBy: string | null; overdue: boolean; department: string | null;
  process: string | null; subjectName: string | null; regionName: string | null; dueOn: string | null; workingDaysLeft: number | null;
}
export interface TaskForm { type: string; label: string; candidateRole: string; outcomes: { outcome: string; label: string; schema: JsonSchema }[] }
export interface Paged<T> { items: T[]; total: number; nextCursor: string | null }

export interface Deadline {
  id: string; caseId: string; kind: string; regionCode: string; taskId: string | null; startedOn: string; workingDays: number | null; calendarDays: number | null;
  dueOn: string; dueAt: string; provisional: boolean; status: string; metAt: string | null; overdueAt: string | null; metLate: boolean;
  extensionDays: number | null; extensionReason: string | null; escalationLevel: number;
}

export interface Criterion { id: string; description: string; passed: boolean; values: Record<string, number | string | boolean>; parameter?: string }
export interface Assessment {
  category: string | null; coverage: string; coveredMemberIds: string[]; careLevel?: string; monthlyAmount: number; perCapitaMonthlyIncome: number;
  criteria: Criterion[]; policyVersionId: string; asOf: string;
}

export interface CaseDetail {
  id: string; process: string; status: string; regionCode: string; activeSteps: string[]; receivedOn: string; acceptedOn: string | null; decidedOn: string | null;
  applicantName: string | null; returnedMissing: string[] | null;
  household: null | {
    id: string; regionCode: string; villageCode: string | null; residence: string; economy: Record<string, unknown> | null;
    members: { memberId: string; name: string; idNumber: string; relation: string; birthDate: string | null; sex: string }[];
  };
  assessment: Assessment | null;
  tasks: TaskView[];
  deadlines: Deadline[];
  decisions: { id: string; outcome: string; category: string | null; monthlyAmount: number | null; startMonth: string | null; reasons: string[] | null; decidedOn: string; decidedBy: string; deviation: boolean; deviationReason: string | null }[];
  notices: { id: string; kind: string; noticeNo: string; status: string; createdAt: string; issuedAt: string | null }[];
  timeline: { at: string; actor: string; role: string; action: string; entity: string | null; entityId: string | null; after: unknown; reason: string | null }[];
}
