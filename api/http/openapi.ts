// One declaration per route: the same zod schemas validate the request and describe it in /openapi.json.
import express, { Request, Response, Router } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z, ZodType } from 'zod';
import './zod-openapi';
import { projectForRole } from '../../domain/access';
import { type Role } from '../../domain/glossary';
import { requireRole, userOf, User } from './auth';
import { badRequest, zodDetails } from './errors';
import { decodeCursor } from './paging';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

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
  /** 'none': answered without a token (sign-in); such routes are mounted before authentication. */
  auth?: 'none';
  /** A worked example of the body, shown in /docs and /openapi.json. */
  example?: unknown;
}

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  user: User;
  body: B;
  query: Q;
  params: P;
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string().describe('English'),
      messageZh: z.string().describe('the same in Chinese, for people'),
      details: z.unknown(),
    }),
  })
  .openapi('Error', {
    example: {
      error: {
        code: 'FORBIDDEN',
        message: 'region 410721101 is outside your region 410721100',
        messageZh: '该地区不在您的辖区内',
        details: null,
      },
    },
  });

/** Extras of every list answer (api/paging.ts). */
const PageExtras = {
  total: z.number().int().describe('rows matching the filters'),
  nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
};
const CursorParam = z.object({
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page (instead of offset)'),
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
  /** Routes with `auth: 'none'`, mounted before authentication. */
  readonly publicRouter: Router = express.Router();

  constructor() {
    this.registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'POST /auth/login, or `npm run token` in development',
    });
    this.registry.registerComponent('securitySchemes', 'apiKey', {
      type: 'apiKey',
      in: 'header',
      name: 'X-Api-Key',
      description: "an integrator's API key (对接系统)",
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
    // A paged list (its query has an offset) answers with total and nextCursor and takes a cursor.
    const paged = !!spec.query && spec.query instanceof z.ZodObject && 'offset' in spec.query.shape;
    const okSchema =
      paged && ok.schema instanceof z.ZodObject && 'items' in ok.schema.shape
        ? ok.schema.extend(PageExtras)
        : ok.schema;
    const responses: Record<string, unknown> = {
      [ok.status]: {
        description: ok.description,
        ...(okSchema ? { content: { [ok.contentType ?? 'application/json']: { schema: okSchema } } } : {}),
      },
    };
    const errors = [...(spec.auth === 'none' ? [] : [401]), ...(spec.errors ?? [400, 403])];
    for (const code of errors)
      responses[code] = {
        description: ERROR_TEXT[code] ?? 'Error',
        content: { 'application/json': { schema: ErrorSchema } },
      };
    // X-Api-Key is accepted wherever an integrator may call: routes open to any role, or naming the integrator role.
    const apiKey = !spec.roles || spec.roles.includes('integrator');
    this.registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.auth === 'none' ? [] : apiKey ? [{ bearer: [] }, { apiKey: [] }] : [{ bearer: [] }],
      description: spec.roles ? `Roles: ${spec.roles.join(', ')}` : undefined,
      // Machine-readable for docs/access.md and test/e2e/access-matrix.test.ts; absent: any authenticated role.
      ...(spec.roles ? { 'x-roles': [...spec.roles] } : {}),
      request: {
        ...(spec.body
          ? {
              body: {
                content: {
                  'application/json': {
                    schema: spec.body,
                    ...(spec.example === undefined ? {} : { example: spec.example }),
                  },
                },
              },
            }
          : {}),
        ...(spec.query
          ? { query: (paged ? (spec.query as unknown as z.ZodObject).extend(CursorParam.shape) : spec.query) as never }
          : {}),
        ...(spec.params ? { params: spec.params as never } : {}),
      },
      responses: responses as never,
    });
    const router = spec.auth === 'none' ? this.publicRouter : this.router;
    router[spec.method](spec.path, async (req, res, next) => {
      try {
        const user = spec.auth === 'none' ? (undefined as unknown as User) : userOf(req);
        if (spec.roles) requireRole(user, spec.roles);
        const body = parse(spec.body, req.body ?? {}, 'body') as z.infer<B>;
        const rawQuery =
          paged && typeof req.query.cursor === 'string'
            ? { ...req.query, offset: String(decodeCursor(req.query.cursor)) }
            : req.query;
        const query = parse(spec.query, rawQuery, 'query') as z.infer<Q>;
        const params = parse(spec.params, req.params, 'path') as z.infer<P>;
        const result = await handler({ req, res, user, body, query, params });
        if (res.headersSent) return;
        // The one place personal data is masked for a role (domain/access.ts, docs/access.md): every JSON answer.
        res.status(ok.status).json(user ? projectForRole(result, user.role) : result);
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
