// Every call to /api/v1: the bearer token, a refresh when it is about to expire, and errors as ApiError carrying the
// server's Chinese message (messageZh) and its details, so pages show what the API says, in Chinese.
import { currentSession, saveSession, Session } from './session';

export interface ErrorDetail { path?: string; message?: string; messageZh?: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly messageZh: string, readonly details: unknown) {
    super(messageZh);
  }
  /** The issue list, when the server gave one (validation errors). */
  get issues(): ErrorDetail[] {
    return Array.isArray(this.details) ? (this.details as ErrorDetail[]) : [];
  }
}

const BASE = '/api/v1';
const REFRESH_BEFORE_MS = 10 * 60_000;
let refreshing: Promise<void> | undefined;

async function refreshIfDue(s: Session): Promise<void> {
  if (Date.parse(s.expiresAt) - Date.now() > REFRESH_BEFORE_MS) return;
  refreshing ??= fetch(`${BASE}/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` } })
    .then(async (r) => { if (r.ok) saveSession((await r.json()) as Session); })
    .catch(() => undefined)
    .finally(() => { refreshing = undefined; });
  await refreshing;
}

async function toError(res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => null) as { error?: { code: string; messageZh?: string; message?: string; details?: unknown } } | null;
  const e = body?.error;
  return new ApiError(res.status, e?.code ?? 'HTTP_' + res.status, e?.messageZh ?? e?.message ?? `请求失败（${res.status}）`, e?.details ?? null);
}

/** A raw response (PDF, XLSX, CSV, XML) with the session's token; throws ApiError on a 4xx/5xx. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const s = currentSession();
  if (s) await refreshIfDue(s);
  const token = currentSession()?.token;
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  if (res.status === 401 && token) saveSession(null); // expired or revoked: back to the sign-in page
  if (!res.ok) throw await toError(res);
  return res;
}

export async function api<T>(path: string, opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const res = await apiFetch(path, { method: opts.method ?? 'GET', body: opts.body === undefined ? undefined : JSON.stringify(opts.body), headers: opts.headers });
  return (await res.json()) as T;
}

/** Saves a download (roster CSV/XLSX/PDF) under the name the server suggests. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await apiFetch(path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
