import type { ProcessSlice } from '../slice';
import { warningActivities } from './activities';
import { warningProcess } from './definition';
import { warningRoutes } from './routes';

export const warning = {
  definition: warningProcess,
  workflowTypes: ['warning'],
  activities: warningActivities,
  routes: warningRoutes,
} satisfies ProcessSlice;
