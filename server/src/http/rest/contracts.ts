// The zod contracts behind each REST route, read from the tRPC procedure itself (so the REST form
// validates and documents exactly what the procedure does), and their JSON Schemas (draft 2020-12).
import { z } from 'zod';
import * as schemaPackage from '@ccx/schema';
import { appRouter } from '../routers/index.js';
import type { ProcedurePath, RestRoute } from './routes.js';

export type JsonSchema = { [key: string]: unknown };

export type RouteContract = {
  route: RestRoute;
  type: 'query' | 'mutation';
  input: z.ZodType | undefined;
  output: z.ZodType;
};

type ProcedureDef = { type?: unknown; inputs?: unknown; output?: unknown };

const proceduresOf = (): Record<string, { _def: ProcedureDef } | undefined> =>
  (appRouter._def as unknown as { procedures: Record<string, { _def: ProcedureDef } | undefined> })
    .procedures;

/** True when the app router has a query or mutation at this path (the REST table may name nothing else). */
export const isRestProcedure = (path: string): path is ProcedurePath => {
  const type = proceduresOf()[path]?._def.type;
  return type === 'query' || type === 'mutation';
};

/** The procedure's type and its zod input and output; throws at start-up when a route names something it cannot adapt. */
export const contractOf = (route: RestRoute): RouteContract => {
  const def = proceduresOf()[route.procedure]?._def;
  if (!def) throw new Error(`REST route ${route.method} ${route.path} names no procedure ${route.procedure}`);
  const { type, inputs, output } = def;
  if (type !== 'query' && type !== 'mutation')
    throw new Error(`REST route ${route.path}: ${route.procedure} is a ${String(type)}`);
  if (route.method === 'get' && type !== 'query')
    throw new Error(`REST route GET ${route.path} must adapt a query, not the mutation ${route.procedure}`);
  if (route.method === 'delete' && type !== 'mutation')
    throw new Error(
      `REST route DELETE ${route.path} must adapt a mutation, not the query ${route.procedure}`,
    );
  const inputList = Array.isArray(inputs) ? (inputs as unknown[]) : [];
  if (inputList.length > 1)
    throw new Error(`${route.procedure} chains several inputs; REST cannot describe it`);
  const input = inputList[0];
  if (input !== undefined && !(input instanceof z.ZodType))
    throw new Error(`${route.procedure} has an input that is not a zod schema`);
  if (!(output instanceof z.ZodType)) throw new Error(`${route.procedure} has no zod output schema`);
  return { route, type, input, output };
};

const pascal = (procedure: string): string =>
  procedure
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Contracts worth a name of their own in components/schemas: objects, unions and enums (not plain strings and numbers). */
const isComponentWorthy = (schema: z.ZodType): boolean =>
  schema instanceof z.ZodObject ||
  schema instanceof z.ZodUnion ||
  schema instanceof z.ZodEnum ||
  (schema instanceof z.ZodDefault && schema.unwrap() instanceof z.ZodObject);

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

const stripSchemaKeywords = (schema: JsonSchema): JsonSchema => {
  // Each component is converted as a document of its own; inside OpenAPI it is a sub-schema.
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
};

/** Every `$ref` into components/schemas that a JSON value holds, at any depth. */
const refsIn = (value: unknown, into: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF_PREFIX))
        into.add(v.slice(SCHEMA_REF_PREFIX.length));
      else refsIn(v, into);
    }
  }
  return into;
};

const reachable = (roots: Iterable<string>, schemas: Record<string, JsonSchema>): Set<string> => {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    for (const ref of refsIn(schemas[id])) queue.push(ref);
  }
  return seen;
};

const renameRefs = (value: unknown, renames: Map<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renames));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF_PREFIX)) {
        const id = v.slice(SCHEMA_REF_PREFIX.length);
        return [k, `${SCHEMA_REF_PREFIX}${renames.get(id) ?? id}`];
      }
      return [k, renameRefs(v, renames)];
    }),
  );
};

export type ContractSchemas = {
  /** Components for OpenAPI: request shapes (io: 'input') and response shapes (io: 'output'). */
  components: Record<string, JsonSchema>;
  /** The component name of each route's input (absent for a procedure without input) and output. */
  inputRef: Map<RestRoute, string>;
  outputRef: Map<RestRoute, string>;
};

/**
 * Converts the contracts of the given routes with zod's z.toJSONSchema, one registry so that a contract
 * used in many places (a provision, an outcome view) becomes one named component. Request schemas are
 * converted with io 'input' (defaults make a field optional) and responses with io 'output'; where one
 * contract differs between the two, the request form is named `<Name>Input`.
 */
export const convertContracts = (contracts: RouteContract[]): ContractSchemas => {
  const registry = z.registry<{ id: string }>();
  for (const [name, value] of Object.entries(schemaPackage)) {
    if (
      /^z[A-Z]/.test(name) &&
      value instanceof z.ZodType &&
      isComponentWorthy(value) &&
      !registry.has(value)
    )
      registry.add(value, { id: name.slice(1) });
  }
  const idOf = (schema: z.ZodType, fallback: string): string => {
    if (!registry.has(schema)) registry.add(schema, { id: fallback });
    const meta = registry.get(schema);
    if (!meta) throw new Error(`no component name for ${fallback}`);
    return meta.id;
  };
  const inputIds = new Map<RestRoute, string>();
  const outputIds = new Map<RestRoute, string>();
  for (const c of contracts) {
    if (c.input) inputIds.set(c.route, idOf(c.input, `${pascal(c.route.procedure)}Request`));
    outputIds.set(c.route, idOf(c.output, `${pascal(c.route.procedure)}Response`));
  }

  const convert = (io: 'input' | 'output'): Record<string, JsonSchema> => {
    const { schemas } = z.toJSONSchema(registry, {
      target: 'draft-2020-12',
      io,
      // A type JSON cannot express (none today) becomes "any value" rather than failing start-up.
      unrepresentable: 'any',
      uri: (id) => `${SCHEMA_REF_PREFIX}${id}`,
    });
    return Object.fromEntries(
      Object.entries(schemas).map(([id, schema]) => [id, stripSchemaKeywords(schema as JsonSchema)]),
    );
  };
  const outputs = convert('output');
  const inputs = convert('input');
  const outputUsed = reachable(outputIds.values(), outputs);
  const inputUsed = reachable(inputIds.values(), inputs);

  // A request schema keeps its name unless the response form of the same name differs, or it refers
  // (at any depth) to one that was renamed.
  const renames = new Map<string, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const id of inputUsed) {
      if (renames.has(id) || !outputUsed.has(id)) continue;
      const differs = JSON.stringify(inputs[id]) !== JSON.stringify(outputs[id]);
      const refersToRenamed = [...refsIn(inputs[id])].some((ref) => renames.has(ref));
      if (differs || refersToRenamed) {
        renames.set(id, `${id}Input`);
        changed = true;
      }
    }
  }
  const components: Record<string, JsonSchema> = {};
  for (const id of [...outputUsed].sort()) components[id] = outputs[id] ?? {};
  for (const id of [...inputUsed].sort()) {
    const name = renames.get(id) ?? id;
    if (components[name] && !renames.has(id)) continue;
    components[name] = renameRefs(inputs[id], renames) as JsonSchema;
  }
  const rename = (ids: Map<RestRoute, string>) =>
    new Map([...ids].map(([route, id]) => [route, renames.get(id) ?? id]));
  return {
    components: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    inputRef: rename(inputIds),
    outputRef: outputIds,
  };
};

/** Follows `$ref`s into the components until a schema with content. */
export const derefSchema = (schema: unknown, components: Record<string, JsonSchema>): JsonSchema => {
  let current = (schema ?? {}) as JsonSchema;
  for (let depth = 0; depth < 20 && typeof current.$ref === 'string'; depth++) {
    const ref = current.$ref;
    current = ref.startsWith(SCHEMA_REF_PREFIX)
      ? (components[ref.slice(SCHEMA_REF_PREFIX.length)] ?? {})
      : {};
  }
  return current;
};

export type ObjectShape = {
  /** Each property's schema; where branches of a union share a name, the first branch's. */
  properties: Map<string, JsonSchema>;
  /** Properties every accepted input has. */
  required: Set<string>;
  /** True when the input is a union of objects (give the fields of exactly one branch). */
  union: boolean;
};

/** The properties an input object takes, across the branches of a union of objects. */
export const objectShapeOf = (schema: unknown, components: Record<string, JsonSchema>): ObjectShape => {
  const s = derefSchema(schema, components);
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches)) {
    const shapes = branches.map((b) => objectShapeOf(b, components));
    const properties = new Map<string, JsonSchema>();
    for (const shape of shapes)
      for (const [k, v] of shape.properties) if (!properties.has(k)) properties.set(k, v);
    const required = new Set([...properties.keys()].filter((k) => shapes.every((sh) => sh.required.has(k))));
    return { properties, required, union: true };
  }
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  return { properties: new Map(Object.entries(props)), required: new Set(required), union: false };
};
