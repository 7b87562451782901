// One error shape for every client: { "error": { "code", "message", "details" } }.
import type { ErrorRequestHandler } from 'express';
import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { REJECTIONS } from '../../engine/messages';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'BAD_REQUEST', message, details);
export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (message: string) => new HttpError(403, 'FORBIDDEN', message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'CONFLICT', message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new HttpError(422, code, message, details);

export function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Workflow Update validators reject with typed ApplicationFailures (engine/messages.ts REJECTIONS): HTTP answers. */
export function fromTemporal(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    const status = (REJECTIONS as Record<string, number>)[err.cause.type];
    if (status) return new HttpError(status, err.cause.type, err.cause.message, err.cause.details?.[0]);
  }
  if (err instanceof WorkflowNotFoundError)
    return new HttpError(409, 'CASE_NOT_RUNNING', 'the case process is no longer running');
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const e =
    err instanceof HttpError
      ? err
      : err instanceof ZodError
        ? badRequest('invalid input', zodDetails(err))
        : (fromTemporal(err) ??
          ((err as { type?: string }).type === 'entity.parse.failed'
            ? badRequest('malformed JSON body')
            : (err as { type?: string }).type === 'entity.too.large'
              ? new HttpError(413, 'PAYLOAD_TOO_LARGE', 'request body too large')
              : undefined));
  if (e) {
    res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details ?? null } });
    return;
  }
  // Unexpected: log the error class and message only (request bodies may carry personal data).
  console.error('unhandled error:', (err as Error)?.name, (err as Error)?.message);
  res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error', details: null } });
};
