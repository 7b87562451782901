// The signed-in session: the short-lived token and who it is for, kept in sessionStorage so closing the tab signs out
// and a reload does not. Refreshed shortly before it expires while the person keeps working (api/client.ts).
import type { Department, Role } from '../../../domain/glossary';

export interface Me { username: string; name: string; role: Role; regionCode: string; regionName: string | null; department: Department | null }
export interface Session { token: string; expiresAt: string; user: Me }

const KEY = 'doudi.session';
type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();

export function currentSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(s);
}

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
