// A REST request turned into the procedure's raw input: path parameters, the query string (coerced by
// the input's JSON Schema, since a query string only holds text), the JSON body and the Idempotency-Key
// header. The procedure's zod contract then validates it exactly as it validates a tRPC call.
import type { Request } from 'express';
import { derefSchema, type JsonSchema } from './contracts.js';
import { inputError } from './problem.js';
import { takesBody, type RoutePlan } from './openapi.js';
import { didYouMean } from '../../shared/suggest.js';

type Kind = 'integer' | 'number' | 'boolean' | 'array' | 'other';

/** The JSON type a field takes, looking through refs and a nullable union. */
const kindOf = (schema: unknown, components: Record<string, JsonSchema>): { kind: Kind; items?: unknown } => {
  const s = derefSchema(schema, components);
  const types = Array.isArray(s.type) ? (s.type as unknown[]) : [s.type];
  const type = types.find((t) => t !== 'null');
  if (type === 'integer' || type === 'number' || type === 'boolean') return { kind: type };
  if (type === 'array') return { kind: 'array', items: s.items };
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches)) {
    for (const branch of branches) {
      const k = kindOf(branch, components);
      if (k.kind !== 'other') return k;
    }
  }
  return { kind: 'other' };
};

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** Text as the field's type; text that does not fit is left as it is, so validation names the field. */
const coerceText = (text: string, schema: unknown, components: Record<string, JsonSchema>): unknown => {
  const { kind } = kindOf(schema, components);
  if ((kind === 'integer' || kind === 'number') && NUMBER.test(text)) return Number(text);
  if (kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
};

/** A query parameter: repeated (`types=a&types=b`) for an array field, once for any other. */
const coerceQuery = (values: string[], schema: unknown, components: Record<string, JsonSchema>): unknown => {
  const k = kindOf(schema, components);
  if (k.kind === 'array') return values.map((v) => coerceText(v, k.items, components));
  return values.length === 1 ? coerceText(values[0]!, schema, components) : values;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Builds the raw input, or throws a BAD_REQUEST TRPCError with one issue per problem found. */
export const buildInput = (plan: RoutePlan, req: Request): unknown => {
  const { shape, components } = plan;
  const issues: { path: PropertyKey[]; message: string }[] = [];
  const input: Record<string, unknown> = {};

  const search = new URL(req.originalUrl, 'http://localhost').searchParams;
  const queryNames = [...new Set(search.keys())];
  if (!takesBody(plan.route.method)) {
    // Every parameter must be one the route takes: a typo (`limt=5`) is refused, not ignored, and so
    // is a parameter such as `limit` or `cursor` on a route that does not page.
    const accepted = [...shape.properties.keys()].filter((name) => !plan.pathParams.includes(name));
    for (const name of queryNames) {
      const schema = shape.properties.get(name);
      if (!schema || plan.pathParams.includes(name)) {
        const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
        issues.push({
          path: [shown],
          message: `unknown query parameter "${shown}"${didYouMean(name, accepted)}`,
        });
        continue;
      }
      input[name] = coerceQuery(search.getAll(name), schema, components);
    }
  } else {
    for (const name of queryNames)
      issues.push({
        path: [name],
        message: 'this route takes its input in the JSON body, not the query string',
      });
    const body: unknown = req.body;
    if (body !== undefined) {
      if (!isPlainObject(body)) issues.push({ path: [], message: 'the body must be a JSON object' });
      // Copied as own properties: assigning would let a `__proto__` key set the input's prototype and
      // smuggle fields past the raw-input guard, which reads own keys only.
      else
        for (const [key, value] of Object.entries(body))
          Object.defineProperty(input, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (plan.takesIdempotencyKey) {
    const header = req.get('idempotency-key');
    if (header !== undefined) {
      if (input.idempotencyKey !== undefined && input.idempotencyKey !== header)
        issues.push({
          path: ['idempotencyKey'],
          message: 'differs from the Idempotency-Key header; send one or the other',
        });
      else input.idempotencyKey = header;
    }
  }

  const params = req.params as Record<string, string | undefined>;
  for (const name of plan.pathParams) {
    const text = params[name] ?? '';
    const value = coerceText(text, shape.properties.get(name), components);
    if (name in input && input[name] !== value)
      issues.push({ path: [name], message: `differs from the ${name} in the URL; leave it out of the body` });
    input[name] = value;
  }

  if (issues.length > 0) throw inputError('invalid request', issues);
  return plan.takesInput ? input : undefined;
};
