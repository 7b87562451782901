// POST /warnings/:id/application: a warning handled by starting an application (docs/monitoring.md). The application
// is submitted like any other (one open case per person, no double enrolment), with source DATA_MATCH, about the
// warned person; then the warning's verification task is completed with its id, so the warning links to it.
import { z } from 'zod';
import type { RouteModule } from '../../api/http/context';
import { actorOf, requireScope } from '../../api/http/auth';
import { conflict, notFound, unprocessable } from '../../api/http/errors';
import { CaseIdParams } from '../../api/http/schemas';
import { lookupHash } from '../../data/id-keys';
import { openVerificationTask, warningIn } from '../../data/warnings';
import { shanghaiDate } from '../../domain/calendar';
import { parseIdNumber } from '../../domain/idNumber';
import { handlingRefusal, type WarningClass } from '../../domain/monitoring';
import { ApplicationSchema, submitApplication } from './submit';

const ApplicationFromWarning = z
  .object({
    reason: z.string().trim().min(1).max(2000),
    application: ApplicationSchema.omit({ source: true }),
  })
  .strict();

export const applicationFromWarningRoutes: RouteModule = (api, deps) => {
  api.route(
    {
      method: 'post',
      path: '/warnings/:id/application',
      tag: 'monitoring',
      summary:
        'Handle a warning by starting an application (source DATA_MATCH) for the person it is about; the ' +
        'application is linked to the warning and runs its own review to a decision',
      roles: ['caseworker'],
      params: CaseIdParams,
      body: ApplicationFromWarning,
      response: {
        status: 201,
        description: 'The application case',
        schema: z.object({ caseId: z.string().uuid(), householdId: z.string().uuid().optional() }),
      },
      errors: [400, 403, 404, 409, 422],
    },
    async ({ user, params, body }) => {
      const w = await warningIn(deps.db, user.region, params.id);
      if (!w) throw notFound('warning');
      requireScope(user, body.application.regionCode);
      // Refused before the application exists, so a wrong handling opens nothing.
      const refusal = handlingRefusal(w.warning_class as WarningClass, 'APPLICATION_STARTED');
      if (refusal) throw unprocessable('HANDLING_NOT_ALLOWED', refusal);
      const task = await openVerificationTask(deps.db, w.id);
      if (!task) throw conflict('this warning is verified already (or not yet ready): no open verification task');
      const person = await deps.db('people').where({ id: w.person_id }).first('id_hash');
      const today = shanghaiDate(Date.now());
      const named = body.application.people.some((p) => {
        const id = parseIdNumber(p.idNumber, { today });
        return id.valid && lookupHash(id.normalized).equals(person.id_hash);
      });
      if (!named)
        throw unprocessable('WARNING_PERSON_MISSING', 'the application must name the person the warning is about');
      // Idempotent by warning: the same handling sent twice makes one application.
      const opened = await submitApplication(
        deps,
        actorOf(user),
        { ...body.application, source: 'DATA_MATCH' },
        `warning:${w.id}`,
      );
      await deps.engine.completeTask(task.workflowId, {
        taskId: task.id,
        outcome: 'APPLICATION_STARTED',
        data: { applicationCaseId: opened.caseId, reason: body.reason },
        actor: actorOf(user),
      });
      return opened;
    },
  );
};
