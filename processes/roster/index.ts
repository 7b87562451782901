import type { ProcessSlice } from '../slice';
import { rosterActivities } from './activities';
import { ROSTER_WORKFLOW_TYPE } from './definition';
import { paymentRoutes } from './routes';

/** The monthly payment roster: a job on a Temporal Schedule, with no cases of its own. */
export const roster = {
  workflowTypes: [ROSTER_WORKFLOW_TYPE],
  activities: rosterActivities,
  routes: paymentRoutes,
} satisfies ProcessSlice;
