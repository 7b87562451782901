import type { ProcessSlice } from '../slice';
import { conferenceActivities } from './activities';
import { caseConferenceProcess } from './definition';
import { conferenceRequestRoutes } from './routes';

export const caseConference = {
  definition: caseConferenceProcess,
  workflowTypes: ['caseConference'],
  activities: conferenceActivities,
  routes: conferenceRequestRoutes,
} satisfies ProcessSlice;
