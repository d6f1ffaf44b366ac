// The OpenAPI 3.1 document of the REST routes, built once at start-up from the route table and the
// procedures' zod contracts. Its schemas are JSON Schema draft 2020-12, which OpenAPI 3.1 uses.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem.js';
import {
  contractOf,
  convertContracts,
  derefSchema,
  objectShapeOf,
  SCHEMA_REF_PREFIX,
  type JsonSchema,
  type ObjectShape,
} from './contracts.js';
import { REST_PREFIX, REST_ROUTES, REST_TAGS, type RestRoute } from './routes.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REFERENCE_PAGE_PATH = '/docs/api';
export const OPENAPI_PATH = '/openapi.json';

const serverPackage = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')));

/** POST and PATCH take a JSON body; GET and DELETE take their input from the path and query string. */
export const takesBody = (method: RestRoute['method']): boolean => method === 'post' || method === 'patch';

/** `/provisions/{id}` → ['id']. */
export const pathParamsOf = (path: string): string[] =>
  [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!);

/** What the REST adapter needs to know about each route's input, derived from the same schemas as the document. */
export type RoutePlan = {
  route: RestRoute;
  type: 'query' | 'mutation';
  /** False for a procedure that takes no input (authorities.me). */
  takesInput: boolean;
  pathParams: string[];
  /** The input's fields and their JSON Schemas (request form). */
  shape: ObjectShape;
  takesIdempotencyKey: boolean;
  /** A GET route for `${path}/{id}`, where a created record can be read: the Location of a 201. */
  locationTemplate: string | null;
  components: Record<string, JsonSchema>;
};

export type OpenApiDocument = {
  openapi: '3.1.1';
  info: { title: string; version: string; description: string };
  [key: string]: unknown;
};

const ref = (name: string) => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'An RFC 9457 problem: every error answer of the REST routes has this shape.',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: {
      type: 'string',
      format: 'uri-reference',
      description: 'The problem type, such as `/problems/not-found`; GET it for its documentation.',
    },
    title: { type: 'string', description: 'A short, fixed summary of the problem type.' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status code.' },
    detail: { type: 'string', description: 'What went wrong with this request.' },
    code: {
      type: 'string',
      enum: PROBLEM_CODES,
      description: 'The error code, the same as the tRPC endpoint gives.',
    },
    issues: {
      type: 'array',
      description: 'For invalid input: one entry per bad field.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: {
            type: 'string',
            description: 'The field, dotted (`actionItems.0.dueOn`); `(input)` for the whole input.',
          },
          message: { type: 'string' },
          code: { type: 'string', description: "zod's issue code, where there is one." },
        },
      },
    },
    requestId: {
      type: 'string',
      description: 'Also in the x-request-id header; quote it when reporting a fault.',
    },
  },
};

const problemResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
});

const ERROR_RESPONSES = {
  BadRequest: problemResponse('Invalid input: `issues` names each bad field.'),
  Unauthorized: problemResponse('No access token, or an invalid or expired one.', {
    'WWW-Authenticate': { description: 'Bearer realm="ccx"', schema: { type: 'string' } },
  }),
  Forbidden: problemResponse('Not allowed for your client, for the reason in `detail`.'),
  NotFound: problemResponse(
    'No such record, or one your authority may not know of (the same answer by design).',
  ),
  Conflict: problemResponse('A stale `version`, or an idempotency key reused for a different request.'),
  ContentTooLarge: problemResponse('The body is too large.'),
  UnsupportedMediaType: problemResponse('The body is not JSON.'),
  InternalError: problemResponse('A fault in the hub; `detail` carries the request id.'),
  Unavailable: problemResponse(PROBLEM_TYPES.SERVICE_UNAVAILABLE.description),
} as const;

/** The schema of one parameter or body field, with its description lifted to where readers look for it. */
const fieldDoc = (schema: JsonSchema, components: Record<string, JsonSchema>) => {
  const own = schema.description ?? derefSchema(schema, components).description;
  return { schema, ...(typeof own === 'string' ? { description: own } : {}) };
};

/** The body schema: the input without the fields the path gives. */
const bodySchemaOf = (plan: RoutePlan, inputRef: string): { schema: JsonSchema; required: boolean } => {
  const required = [...plan.shape.required].some((k) => !plan.pathParams.includes(k));
  if (plan.pathParams.length === 0) return { schema: ref(inputRef), required };
  const full = derefSchema(ref(inputRef), plan.components);
  if (full.type !== 'object' || typeof full.properties !== 'object')
    throw new Error(`${plan.route.path}: a body route with path parameters needs an object input`);
  const properties = Object.fromEntries(
    Object.entries(full.properties as Record<string, unknown>).filter(([k]) => !plan.pathParams.includes(k)),
  );
  const requiredList = Array.isArray(full.required)
    ? (full.required as string[]).filter((k) => !plan.pathParams.includes(k))
    : [];
  const { required: _r, properties: _p, ...rest } = full;
  return {
    schema: { ...rest, properties, ...(requiredList.length > 0 ? { required: requiredList } : {}) },
    required,
  };
};

const operationOf = (plan: RoutePlan, inputRef: string | undefined, outputRef: string) => {
  const { route, shape, components } = plan;
  const parameters: unknown[] = plan.pathParams.map((name) => {
    const schema = shape.properties.get(name);
    if (!schema) throw new Error(`${route.path}: {${name}} is not a field of ${route.procedure}'s input`);
    return { name, in: 'path', required: true, ...fieldDoc(schema, components) };
  });
  const hasBody = takesBody(route.method);
  if (!hasBody) {
    for (const [name, schema] of shape.properties) {
      if (plan.pathParams.includes(name)) continue;
      const isArray = derefSchema(schema, components).type === 'array';
      parameters.push({
        name,
        in: 'query',
        required: shape.required.has(name),
        ...fieldDoc(schema, components),
        ...(isArray ? { style: 'form', explode: true } : {}),
      });
    }
  }
  if (plan.takesIdempotencyKey) {
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request answers the first result again and changes nothing; the same key with a different request answers 409. Same as the body field `idempotencyKey`.',
      schema: shape.properties.get('idempotencyKey') ?? { type: 'string' },
    });
  }
  const success = route.creates ? '201' : '200';
  const responses: Record<string, unknown> = {
    [success]: {
      description: route.creates ? 'Created.' : 'OK.',
      ...(route.creates && plan.locationTemplate
        ? {
            headers: {
              Location: { description: 'Where the new record can be read.', schema: { type: 'string' } },
            },
          }
        : {}),
      content: { 'application/json': { schema: ref(outputRef) } },
    },
    ...(route.creates && route.existing
      ? {
          '200': {
            description: route.existing.description,
            content: { 'application/json': { schema: ref(outputRef) } },
          },
        }
      : {}),
    '400': responseRef('BadRequest'),
    '401': responseRef('Unauthorized'),
    '403': responseRef('Forbidden'),
    '404': responseRef('NotFound'),
    ...(route.method === 'get' ? {} : { '409': responseRef('Conflict') }),
    ...(hasBody ? { '413': responseRef('ContentTooLarge'), '415': responseRef('UnsupportedMediaType') } : {}),
    '500': responseRef('InternalError'),
    '503': responseRef('Unavailable'),
  };
  const union = shape.union
    ? ` Give the fields of exactly one of: ${describeUnion(inputRef, components)}.`
    : '';
  return {
    operationId: route.procedure,
    summary: route.summary,
    description: `${route.description}${hasBody ? '' : union}\n\nThe REST form of the tRPC procedure \`${route.procedure}\`.`,
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(hasBody && inputRef
      ? (() => {
          const body = bodySchemaOf(plan, inputRef);
          return {
            requestBody: {
              required: body.required,
              content: { 'application/json': { schema: body.schema } },
            },
          };
        })()
      : {}),
    responses,
  };
};

const describeUnion = (inputRef: string | undefined, components: Record<string, JsonSchema>): string => {
  if (!inputRef) return '';
  const s = derefSchema(ref(inputRef), components);
  const branches = ((s.anyOf ?? s.oneOf) as unknown[] | undefined) ?? [];
  return branches
    .map((b) =>
      Object.keys(derefSchema(b, components).properties ?? {})
        .map((k) => `\`${k}\``)
        .join(' and '),
    )
    .join('; ');
};

export type RestApiModel = { document: OpenApiDocument; plans: RoutePlan[] };

/** Builds the document and the per-route plans together, so what is served is what is described. */
export const buildRestApi = (): RestApiModel => {
  const contracts = REST_ROUTES.map(contractOf);
  const { components, inputRef, outputRef } = convertContracts(contracts);
  components.Problem = problemSchema;
  const getPaths = new Set<string>(REST_ROUTES.filter((r) => r.method === 'get').map((r) => r.path));
  const seen = new Set<string>();
  const plans = contracts.map((c): RoutePlan => {
    const key = `${c.route.method} ${c.route.path}`;
    if (seen.has(key)) throw new Error(`REST route ${key} appears twice`);
    seen.add(key);
    const inRef = inputRef.get(c.route);
    const shape: ObjectShape = inRef
      ? objectShapeOf(ref(inRef), components)
      : { properties: new Map(), required: new Set(), union: false };
    const location = `${c.route.path}/{id}`;
    return {
      route: c.route,
      type: c.type,
      takesInput: c.input !== undefined,
      pathParams: pathParamsOf(c.route.path),
      shape,
      takesIdempotencyKey: c.route.method !== 'get' && shape.properties.has('idempotencyKey'),
      locationTemplate: c.route.creates && getPaths.has(location) ? `${REST_PREFIX}${location}` : null,
      components,
    };
  });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const plan of plans) {
    const path = `${REST_PREFIX}${plan.route.path}`;
    const outRef = outputRef.get(plan.route);
    if (!outRef) throw new Error(`${plan.route.procedure} has no output schema`);
    paths[path] = {
      ...paths[path],
      [plan.route.method]: operationOf(plan, inputRef.get(plan.route), outRef),
    };
  }

  const document: OpenApiDocument = {
    openapi: '3.1.1',
    info: {
      title: "Children's Commissioning Exchange (ccx) REST API",
      version: serverPackage.version,
      description: [
        'A need-to-know data-exchange hub for English councils that place looked-after children: monitoring outcomes, restrictions and embargoes, placement declarations and the placement check.',
        '',
        'Every operation is the REST form of a tRPC procedure (its operationId), with the same validation, access policy and audit. Get an access token with the OAuth 2.0 client-credentials grant at `POST /oauth/token` and send it as `Authorization: Bearer <token>`.',
        '',
        'Errors are RFC 9457 problems (`application/problem+json`). Writes take an `Idempotency-Key` header; updates name the `version` they amend.',
      ].join('\n'),
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/', description: 'This hub' }],
    externalDocs: { description: 'Browsable reference', url: REFERENCE_PAGE_PATH },
    security: [{ bearerAuth: [] }, { oauth2: [] }],
    tags: Object.entries(REST_TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: components,
      responses: ERROR_RESPONSES,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from POST /oauth/token (RFC 9068 JWT, ES256).',
        },
        oauth2: {
          type: 'oauth2',
          description: 'The client-credentials grant with your client id and secret.',
          flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
        },
      },
    },
  };
  return { document, plans };
};
