// Failures that no retry can mend. Activities throw these (or the worker's interceptor turns a database's refusal of
// the data into one, engine/activities/interceptors.ts); every activity proxy lists their types as non-retryable
// (engine/workflow/activities.ts), so a permanent failure ends at once with a clear error instead of retrying forever.
// Workflow-safe: no Node built-ins.

// The failure type Temporal records for a thrown error is its class name, so the types below are the class names.

/** A row the activity depends on does not exist (a case, a decision, a recipient). */
export class MissingRecordError extends Error {
  override readonly name = 'MissingRecordError';
}

/** The data cannot be stored or used as it is (the database refused it, a rule cannot apply to it). */
export class InvalidDataError extends Error {
  override readonly name = 'InvalidDataError';
}

export const NON_RETRYABLE_ERROR_TYPES = ['MissingRecordError', 'InvalidDataError'] as const;
