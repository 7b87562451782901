import type { ProcessSlice } from '../slice';
import { recipientActivities } from './activities';
import { recipientProcess } from './definition';
import { recipientRoutes } from './routes';

export const recipient = {
  definition: recipientProcess,
  workflowTypes: ['recipient'],
  activities: recipientActivities,
  routes: recipientRoutes,
} satisfies ProcessSlice;
