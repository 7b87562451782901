import type { ProcessSlice } from '../slice';
import { comparisonActivities } from './activities';
import { COMPARISON_WORKFLOW_TYPE } from './definition';
import { monitoringRoutes } from './routes';

/** The comparison of department data with the population database: a job on a daily Temporal Schedule. */
export const comparison = {
  workflowTypes: [COMPARISON_WORKFLOW_TYPE],
  activities: comparisonActivities,
  routes: monitoringRoutes,
} satisfies ProcessSlice;
