// All activities, built from their dependencies (the samples' pattern: tests inject their own deps).
import type { ActivityDeps } from './deps';
import { caseActivities } from './cases';
import { deadlineActivities } from './deadlines';
import { noticeActivities } from './notices';
import { conferenceActivities } from './conferences';
import { emergencyActivities } from './emergency';
import { recipientActivities } from './recipients';
import { rosterActivities } from './roster';

export function createActivities(deps: ActivityDeps) {
  return {
    ...caseActivities(deps),
    ...deadlineActivities(deps),
    ...noticeActivities(deps),
    ...conferenceActivities(deps),
    ...emergencyActivities(deps),
    ...recipientActivities(deps),
    ...rosterActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
