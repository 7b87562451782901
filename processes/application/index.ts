import type { ProcessSlice } from '../slice';
import { applicationActivities } from './activities';
import { applicationProcess } from './definition';
import { applicationRoutes } from './routes';

export const application = {
  definition: applicationProcess,
  workflowTypes: ['application'],
  activities: applicationActivities,
  routes: applicationRoutes,
} satisfies ProcessSlice;
