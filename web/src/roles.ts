// Which pages each role works with; the API enforces the same limits, the menu only spares people dead ends.
import type { Role } from '../../domain/glossary';

export type Page = 'inbox' | 'cases' | 'application' | 'emergency' | 'dashboard' | 'recipients' | 'roster' | 'users';

const PAGES: Record<Page, readonly Role[]> = {
  inbox: ['caseworker', 'village_assistant', 'reviewer', 'county_officer', 'supervisor', 'department', 'admin'],
  cases: ['caseworker', 'village_assistant', 'reviewer', 'county_officer', 'supervisor', 'admin'],
  application: ['caseworker', 'village_assistant', 'county_officer', 'admin'],
  emergency: ['caseworker', 'admin'],
  dashboard: ['supervisor', 'county_officer', 'admin'],
  recipients: ['caseworker', 'reviewer', 'county_officer', 'supervisor', 'admin'],
  roster: ['caseworker', 'reviewer', 'county_officer', 'supervisor', 'admin'],
  users: ['admin'],
};

export const canSee = (role: Role, page: Page) => PAGES[page].includes(role);
export const homeOf = (role: Role) => (role === 'supervisor' ? '/dashboard' : '/inbox');
/** Roles that see names and ID numbers in full (the API masks them for the others). */
export const seesFull = (role: Role) => ['caseworker', 'reviewer', 'county_officer', 'admin'].includes(role);
