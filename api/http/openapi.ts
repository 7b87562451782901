// One declaration per route: the same zod schemas validate the request and describe it in /openapi.json.
import express, { Request, Response, Router } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z, ZodType } from 'zod';
import './zod-openapi';
import { type Role } from '../../domain/glossary';
import { requireRole, userOf, User } from './auth';
import { badRequest, zodDetails } from './errors';

type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  method: Method;
  path: string; // express syntax, e.g. /cases/:id
  summary: string;
  tag: string;
  roles?: readonly Role[]; // omitted: any authenticated user (region scoping still applies in the handler)
  body?: B;
  query?: Q;
  params?: P;
  response?: { status: number; description: string; schema?: ZodType; contentType?: string };
  errors?: number[];
}

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  user: User;
  body: B;
  query: Q;
  params: P;
}

export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed input',
  401: 'Not authenticated',
  403: 'Outside your role or region',
  404: 'Not found',
  409: 'Conflicts with the current state',
  422: 'Refused by a business rule',
};

export class ApiBuilder {
  readonly registry = new OpenAPIRegistry();
  readonly router: Router = express.Router();

  constructor() {
    this.registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  }

  route<
    B extends ZodType = ZodType<undefined>,
    Q extends ZodType = ZodType<undefined>,
    P extends ZodType = ZodType<undefined>,
  >(
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  ): void {
    const ok = spec.response ?? { status: 200, description: 'OK' };
    const responses: Record<string, unknown> = {
      [ok.status]: {
        description: ok.description,
        ...(ok.schema ? { content: { [ok.contentType ?? 'application/json']: { schema: ok.schema } } } : {}),
      },
    };
    for (const code of [401, ...(spec.errors ?? [400, 403])])
      responses[code] = {
        description: ERROR_TEXT[code] ?? 'Error',
        content: { 'application/json': { schema: ErrorSchema } },
      };
    this.registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      tags: [spec.tag],
      security: [{ bearer: [] }],
      description: spec.roles ? `Roles: ${spec.roles.join(', ')}` : undefined,
      request: {
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.params ? { params: spec.params as never } : {}),
      },
      responses: responses as never,
    });
    this.router[spec.method](spec.path, async (req, res, next) => {
      try {
        const user = userOf(req);
        if (spec.roles) requireRole(user, spec.roles);
        const body = parse(spec.body, req.body ?? {}, 'body') as z.infer<B>;
        const query = parse(spec.query, req.query, 'query') as z.infer<Q>;
        const params = parse(spec.params, req.params, 'path') as z.infer<P>;
        const result = await handler({ req, res, user, body, query, params });
        if (res.headersSent) return;
        res.status(ok.status).json(result);
      } catch (err) {
        next(err);
      }
    });
  }

  document(info: { title: string; version: string; description?: string }, serverUrl = '/api/v1') {
    return new OpenApiGeneratorV3(this.registry.definitions).generateDocument({
      openapi: '3.0.3',
      info,
      servers: [{ url: serverUrl }],
    });
  }
}

function parse(schema: ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`invalid ${where}`, zodDetails(r.error));
  return r.data;
}
