// One error shape for every client: { "error": { "code", "message", "messageZh", "details" } }. `message` is English
// (unchanged for existing clients), `messageZh` the same in Chinese (api/i18n.ts) for people.
import type { ErrorRequestHandler } from 'express';
import { isGrpcServiceError, WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { REJECTIONS } from '../../engine/messages';
import { errorMessageZh, pathZh, zodDetailsZh } from './i18n';

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

export const tooManyFailures = (until: number) =>
  new HttpError(429, 'TOO_MANY_REQUESTS', 'too many failed sign-ins from this address; try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)),
  });

export function zodDetails(err: ZodError) {
  return zodDetailsZh(err);
}

/** Issue lists from elsewhere (the workflow's validators) get their Chinese here: the field's name and a verdict. */
function withZh(details: unknown): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((d) =>
    d && typeof d === 'object' && typeof d.path === 'string' && typeof d.message === 'string' && !('messageZh' in d)
      ? { ...d, messageZh: `${d.path ? `${pathZh(d.path)}：` : ''}内容不符合要求` }
      : d,
  );
}

/** Workflow Update validators reject with typed ApplicationFailures (engine/messages.ts REJECTIONS): HTTP answers. */
export function fromTemporal(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    const status = (REJECTIONS as Record<string, number>)[err.cause.type];
    if (status) return new HttpError(status, err.cause.type, err.cause.message, err.cause.details?.[0]);
  }
  // A workflow that has no handler for the Update: the case's process has no such step (an objection on an
  // emergency). The client asked for something this case does not do; nothing changed.
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    /^No registered handler for update/.test(err.cause.message)
  )
    return new HttpError(409, 'WRONG_STATE', 'this case has no such step');
  if (err instanceof WorkflowNotFoundError)
    return new HttpError(409, 'CASE_NOT_RUNNING', 'the case process is no longer running');
  if (temporalUnreachable(err))
    return new HttpError(
      503,
      'TEMPORAL_UNAVAILABLE',
      'the workflow service is unreachable; retry with the same Idempotency-Key (a case row already written is ' +
        'started by the reconciliation job)',
    );
  return undefined;
}

/** gRPC UNAVAILABLE or DEADLINE_EXCEEDED anywhere in the cause chain, or the connection could not be made. */
function temporalUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; name?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (isGrpcServiceError(e) && (e.code === 14 || e.code === 4)) return true;
    if (e.name === 'TransportError' || (e instanceof Error && /Failed to connect before the deadline/.test(e.message)))
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** The refusals of express itself (the JSON body parser, the router's URL decoding): each its 4xx, never a 500. */
function fromExpress(err: unknown): HttpError | undefined {
  // A path parameter whose percent-encoding is not UTF-8 (%ED%A0%80): the router cannot decode it.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400)
    return badRequest('malformed percent-encoding in the URL');
  const e = err as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e?.type !== 'string') return undefined;
  if (e.type === 'entity.parse.failed') return badRequest('malformed JSON body');
  if (e.type === 'entity.too.large') return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'request body too large');
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
    return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json in UTF-8');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true)
    return new HttpError(e.status, 'BAD_REQUEST', typeof e.message === 'string' ? e.message : 'bad request');
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const found =
    err instanceof HttpError
      ? err
      : err instanceof ZodError
        ? badRequest('invalid input', zodDetails(err))
        : (fromTemporal(err) ?? fromExpress(err));
  // A client locked for its failed authentications hears 429 for each further failure (api/http/rate-limit.ts).
  const locked = res.locals.authLockedUntil as number | undefined;
  const e = found?.status === 401 && locked ? tooManyFailures(locked) : found;
  if (e) {
    res.status(e.status).json({
      error: {
        code: e.code,
        message: e.message,
        messageZh: errorMessageZh(e.code, e.message),
        details: withZh(e.details) ?? null,
      },
    });
    return;
  }
  // Unexpected: log the error class and message only (request bodies may carry personal data).
  console.error('unhandled error:', (err as Error)?.name, (err as Error)?.message);
  res.status(500).json({
    error: { code: 'INTERNAL', message: 'internal error', messageZh: errorMessageZh('INTERNAL', ''), details: null },
  });
};
