import type { ProcessSlice } from '../slice';
import { emergencyActivities } from './activities';
import { emergencyProcess } from './definition';
import { emergencyRoutes } from './routes';

export const emergency = {
  definition: emergencyProcess,
  workflowTypes: ['emergency'],
  activities: emergencyActivities,
  routes: emergencyRoutes,
} satisfies ProcessSlice;
