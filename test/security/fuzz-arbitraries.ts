// Arbitraries for the fuzzing suite: values shaped by a procedure's own zod contract (walked through
// its JSON Schema, so the suite follows the contract as it changes), values from well outside it, and
// the mutations that turn the one into the other. Real ids from a seeded world are mixed in, so that
// inputs which pass validation go on to reach the services and the database.
import fc from 'fast-check';
import { z } from 'zod';

/** JSON text sent verbatim: what JSON.stringify cannot write (-0, 1e400, 2^53 + 1, deep nesting). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type FuzzObject = { [key: string]: FuzzValue };
export type FuzzValue = null | boolean | number | string | RawJson | FuzzValue[] | FuzzObject;
/** `undefined`: no input at all (no `?input=`, no body). */
export type FuzzInput = FuzzValue | undefined;

export type JsonSchema = { [key: string]: unknown };

export const isFuzzObject = (v: unknown): v is FuzzObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawJson);

/** Defines an own property, so `__proto__` and `constructor` become keys rather than prototype setters. */
export const setOwn = (obj: FuzzObject, key: string, value: FuzzValue): void => {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
};

/** JSON text of a fuzz value; own `__proto__` keys and RawJson pieces go out exactly as they are. */
export const toJsonText = (v: FuzzValue): string => {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (isFuzzObject(v))
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${toJsonText(v[k] ?? null)}`)
      .join(',')}}`;
  // NaN and ±Infinity (from fc.double) become null, as JSON.stringify writes them.
  return JSON.stringify(v);
};

const cloneValue = (v: FuzzValue): FuzzValue => {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (!isFuzzObject(v)) return v;
  const copy: FuzzObject = {};
  for (const k of Object.keys(v)) setOwn(copy, k, cloneValue(v[k] ?? null));
  return copy;
};

// ---------------------------------------------------------------------------------------------------
// Id pools: the seeded world's records, by kind, so generated inputs name things that exist.

export const POOL_KINDS = [
  'authority',
  'provider',
  'provision',
  'outcome',
  'restriction',
  'concern',
  'placement',
  'allocation',
  'grant',
  'webhook',
  'delivery',
  'client',
  'actionItem',
  'urn',
  'companyNumber',
  'gssCode',
  'eventId',
  'cursor',
] as const;
export type PoolKind = (typeof POOL_KINDS)[number];
export type Pools = Record<PoolKind, string[]>;

export const emptyPools = (): Pools =>
  Object.fromEntries(POOL_KINDS.map((k) => [k, [] as string[]])) as unknown as Pools;

const UUID_KINDS: readonly PoolKind[] = [
  'provider',
  'provision',
  'outcome',
  'restriction',
  'concern',
  'placement',
  'allocation',
  'grant',
  'webhook',
  'delivery',
];

/** `id` means a record of the router's own kind: providers.get takes a provider's id. */
const ROUTER_ID_KIND: Record<string, PoolKind> = {
  authorities: 'authority',
  clients: 'client',
  providers: 'provider',
  provisions: 'provision',
  outcomes: 'outcome',
  restrictions: 'restriction',
  placements: 'placement',
  webhooks: 'webhook',
};

const KEY_KINDS: Record<string, readonly PoolKind[]> = {
  provisionId: ['provision'],
  provisionIds: ['provision'],
  providerId: ['provider'],
  outcomeId: ['outcome'],
  itemId: ['actionItem'],
  grantId: ['grant'],
  deliveryId: ['delivery'],
  recordId: ['outcome', 'restriction', 'concern'],
  urn: ['urn'],
  companyNumber: ['companyNumber'],
  gssCode: ['gssCode'],
  since: ['eventId'],
  lastEventId: ['eventId'],
  cursor: ['cursor'],
};

export type GenContext = {
  /** The procedure the input is for, `providers.get`. */
  procedure: string;
  pools: Pools;
  /** Per field name, the only ids to use (authorities.update may only touch a sacrificial authority). */
  overrides?: Readonly<Record<string, readonly string[]>>;
  /** Today in England, YYYY-MM-DD: many rules compare dates with it. */
  today: string;
  /**
   * Makes a generated value meet what its JSON Schema cannot say (a zod refine, a rule between
   * fields), so valid-looking inputs get past validation; `pick` is a free random number.
   */
  repair?: (value: FuzzObject, pick: number) => void;
};

/** The real values a field of this name should mostly take, or none. */
export const poolFor = (ctx: GenContext, key: string | null): readonly string[] => {
  if (key === null) return [];
  const override = ctx.overrides?.[key];
  if (override) return override;
  let kinds: readonly PoolKind[] | undefined = KEY_KINDS[key];
  if (!kinds && /authorityId$/i.test(key)) kinds = ['authority'];
  if (!kinds && key === 'id') {
    const own = ROUTER_ID_KIND[ctx.procedure.split('.')[0] ?? ''];
    kinds = own ? [own] : UUID_KINDS;
  }
  return (kinds ?? []).flatMap((k) => ctx.pools[k]);
};

/** Every id of the world, for putting one kind where another is expected. */
export const allIds = (pools: Pools): string[] => [
  ...new Set([...UUID_KINDS, 'authority', 'client', 'actionItem'].flatMap((k) => pools[k as PoolKind])),
];

// ---------------------------------------------------------------------------------------------------
// Scalars: dates, text and numbers, plausible and hostile.

export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Calendar days the code has to get right: leap days, clock changes, the ends of the range, years
 * JavaScript's Date.UTC reads as 19xx, and the edge of the bank-holiday calendar. */
export const EDGE_DATES = [
  '0001-01-01',
  '0001-01-02',
  '0099-12-31',
  '0100-01-01',
  '1900-02-28',
  '1977-12-31',
  '1978-01-02',
  '1970-01-01',
  '2000-02-29',
  '2024-02-29',
  '2026-03-29',
  '2026-10-25',
  '2038-01-19',
  '9999-01-01',
  '9999-11-30',
  '9999-12-30',
  '9999-12-31',
] as const;

/** Mostly days near today (where the rules live), sometimes the edges and anywhere in 1..9999. */
export const dateArb = (today: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -400, max: 400 }).map((n) => addDays(today, n)) },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_DATES) },
    {
      weight: 2,
      arbitrary: fc
        .date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10)),
    },
  );

const dateTimeArb = (today: string): fc.Arbitrary<string> =>
  fc.oneof(
    dateArb(today).map((d) => `${d}T12:00:00Z`),
    fc.constantFrom('2026-03-29T01:30:00+01:00', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00Z'),
  );

/** Text that breaks naive code: astral, right-to-left, combining marks, lone surrogates, controls, case
 * mappings that change length, SQL and LIKE metacharacters, prototype names. */
export const NASTY_TEXT = [
  '𝕳𝖊𝖑𝖑𝖔 🧒🏽‍🦱 👨‍👩‍👧',
  '\u202Eevil\u202C name',
  'مرحبا بالعالم',
  'שלום עולם',
  'Z\u0351\u0352\u0353a\u0310\u0311\u0312l\u0313\u0314g\u0315o',
  'e\u0301\u0301\u0301\u0301\u0301',
  '\uD83D',
  'a\uDC00b',
  '\uDBFF\uDFFF',
  '\u200B\u200D\uFEFF',
  'a\u0000b',
  '\u0000',
  '\u0001\u001F\u007F\u0085',
  '\r\n\t\v\f',
  "' OR '1'='1",
  "'); DROP TABLE provisions;--",
  '%_%\\',
  '\\',
  '"',
  '${{7*7}}',
  '<img src=x onerror=alert(1)>',
  '../../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  ' padded ',
  '   ',
  'null',
  'undefined',
  'NaN',
  '1e308',
  'ß',
  'ﬀ',
  'İ',
  'ǅ',
] as const;

export const HUGE_TEXT = 'x'.repeat(100_000);
/** 100,000 UTF-16 units of astral characters: 50,000 code points, 200,000 UTF-8 bytes. */
export const HUGE_ASTRAL = '𝕏'.repeat(50_000);

const textArb = (minLength: number, maxLength: number | undefined): fc.Arbitrary<string> => {
  const cap = Math.min(maxLength ?? 80, 80);
  const lo = Math.min(minLength, cap);
  const fits = NASTY_TEXT.filter((t) => t.length >= minLength && t.length <= (maxLength ?? Infinity));
  const arbs: fc.WeightedArbitrary<string>[] = [
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: lo, maxLength: cap }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: lo, maxLength: cap }) },
  ];
  if (fits.length > 0) arbs.push({ weight: 2, arbitrary: fc.constantFrom(...fits) });
  // Exactly the longest text the contract allows, in ASCII and in astral characters.
  if (maxLength !== undefined && maxLength <= 100_000 && maxLength >= minLength)
    arbs.push({
      weight: 1,
      arbitrary: fc.constantFrom('x'.repeat(maxLength), '𝕏'.repeat(Math.floor(maxLength / 2))),
    });
  return fc.oneof(...arbs);
};

const EMAILS = ['qa@example.gov.uk', 'a@b.co', 'first.last+tag@sub.example.org'] as const;

const urlArb = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.webUrl({ validSchemes: ['https'] }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'https://hooks.example.com/ccx',
        'http://127.0.0.1:9/hook',
        'http://localhost/hook',
        'https://10.0.0.1/hook',
        'https://[::1]/hook',
        'https://169.254.169.254/latest/meta-data/',
        'https://user:secret@example.com/hook',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'gopher://127.0.0.1:25/',
        `https://example.com/${'a'.repeat(1990)}`,
      ),
    },
  );

/** Integers near the minimum (where versions and counts live), at both bounds, and anywhere between. */
const integerArb = (min: number, max: number): fc.Arbitrary<number> => {
  const edges = [min, max, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1].filter((n) => n >= min && n <= max);
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max: Math.min(max, min + 5) }) },
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
  );
};

// ---------------------------------------------------------------------------------------------------
// From a contract: the JSON Schema of a zod input, walked into an arbitrary of valid-looking values.

/** A procedure's zod input, or null when it takes none. */
const parserOf = (inputs: unknown): z.ZodType | null => {
  const parser = Array.isArray(inputs) ? (inputs as unknown[])[0] : undefined;
  return parser instanceof z.ZodType ? parser : null;
};

/** The JSON Schema (request form) of a procedure's zod input, or null when it takes none. */
export const jsonSchemaOfInputs = (inputs: unknown): JsonSchema | null => {
  const parser = parserOf(inputs);
  return parser && z.toJSONSchema(parser, { io: 'input', unrepresentable: 'any' });
};

export type ProcedureType = 'query' | 'mutation' | 'subscription';
export type ProcedureInfo = {
  path: string;
  type: ProcedureType;
  schema: JsonSchema | null;
  parser: z.ZodType | null;
};

/** Every procedure of a router with its input contract, from `router._def.procedures`. */
export const listProcedures = (procedures: unknown): ProcedureInfo[] =>
  // Typed as the nested router record, but at run time a flat record of dotted paths.
  Object.entries(procedures as Record<string, { _def: { type: ProcedureType; inputs: unknown } }>).map(
    ([path, p]) => ({
      path,
      type: p._def.type,
      schema: jsonSchemaOfInputs(p._def.inputs),
      parser: parserOf(p._def.inputs),
    }),
  );

/** A query's input goes in the URL; past this length it is POSTed (tRPC's method override) so it reaches the app, not node's 431. */
export const MAX_GET_URL = 6000;

export const asSchema = (v: unknown): JsonSchema => (v && typeof v === 'object' ? (v as JsonSchema) : {});
const numberOr = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

const stringFromSchema = (s: JsonSchema, ctx: GenContext, key: string | null): fc.Arbitrary<string> => {
  const min = numberOr(s.minLength, 0);
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  let base: fc.Arbitrary<string>;
  switch (s.format) {
    case 'uuid':
      base = fc.oneof(
        { weight: 4, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000') },
      );
      break;
    case 'date':
      base = dateArb(ctx.today);
      break;
    case 'date-time':
      base = dateTimeArb(ctx.today);
      break;
    case 'email':
      base = fc.oneof(fc.constantFrom(...EMAILS), fc.emailAddress());
      break;
    case 'uri':
      base = urlArb();
      break;
    default:
      base = typeof s.pattern === 'string' ? patternArb(s.pattern, min, max) : textArb(min, max);
  }
  // A few keys reused across inputs, so a retry with another body meets the idempotency check.
  if (key === 'idempotencyKey')
    return fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom('fuzz-key-00000001', 'fuzz-key-00000002') },
      { weight: 7, arbitrary: base },
    );
  const pool = poolFor(ctx, key);
  return pool.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: base })
    : base;
};

const patternArb = (pattern: string, min: number, max: number | undefined): fc.Arbitrary<string> => {
  try {
    // stringMatching ignores length limits: pad with the last character (still in the pattern's class
    // for the repeated-class patterns that have a minimum) and cut at the maximum.
    return fc
      .stringMatching(new RegExp(pattern), { size: 'small' })
      .map((t) => (t.length < min ? t.padEnd(min, t.slice(-1) || 'a') : t))
      .map((t) => (max !== undefined && t.length > max ? t.slice(0, max) : t));
  } catch {
    // A pattern fast-check cannot generate from: plain text, which validation will mostly refuse.
    return textArb(min, max);
  }
};

/** A field the contract leaves open (z.unknown, as in placement import rows): go by its name. */
const unknownFromKey = (ctx: GenContext, key: string | null): fc.Arbitrary<FuzzValue> => {
  const loose = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<FuzzValue>;
  const pool = poolFor(ctx, key);
  if (pool.length > 0) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, loose);
  if (key === 'children')
    return fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -2, max: 600 }) },
      fc.constantFrom('3', 2.5, 1e308, '1e3', ''),
      loose,
    );
  if (key !== null && /(?:Date|On|asOf)$/.test(key))
    return fc.oneof(
      { weight: 4, arbitrary: dateArb(ctx.today) },
      fc.constantFrom('2026-02-30', '0000-01-01'),
    );
  return loose;
};

export const fromSchema = (
  schema: unknown,
  ctx: GenContext,
  key: string | null = null,
  depth = 0,
): fc.Arbitrary<FuzzValue> => {
  const s = asSchema(schema);
  if (depth > 8) return fc.constant(null);
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches) && branches.length > 0)
    return fc.oneof(...branches.map((b) => fromSchema(b, ctx, key, depth + 1)));
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    return fromSchema(Object.assign({}, rest, ...(allOf as unknown[]).map(asSchema)), ctx, key, depth);
  }
  if ('const' in s) return fc.constant(s.const as FuzzValue);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as FuzzValue[]));
  if (Array.isArray(s.type))
    return fc.oneof(...(s.type as unknown[]).map((t) => fromSchema({ ...s, type: t }, ctx, key, depth)));
  switch (s.type) {
    case 'string':
      return stringFromSchema(s, ctx, key);
    case 'integer':
      return integerArb(
        numberOr(s.minimum, Number.MIN_SAFE_INTEGER),
        numberOr(s.maximum, Number.MAX_SAFE_INTEGER),
      );
    case 'number':
      return fc.double({
        min: numberOr(s.minimum, -1e9),
        max: numberOr(s.maximum, 1e9),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = numberOr(s.minItems, 0);
      const maxItems = typeof s.maxItems === 'number' ? s.maxItems : undefined;
      const item = fromSchema(s.items, ctx, key, depth + 1);
      const usual = fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(maxItems ?? 4, 4)) });
      // The longest array the contract allows, where that is cheap enough to send often.
      return maxItems !== undefined && maxItems <= 500 && maxItems > 4
        ? fc.oneof(
            { weight: 19, arbitrary: usual },
            { weight: 1, arbitrary: fc.array(item, { minLength: maxItems, maxLength: maxItems }) },
          )
        : usual;
    }
    case 'object': {
      const properties = asSchema(s.properties);
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      const model: Record<string, fc.Arbitrary<FuzzValue>> = {};
      for (const [name, sub] of Object.entries(properties))
        model[name] = fromSchema(sub, ctx, name, depth + 1);
      // Sometimes every optional field at once: defaults computed from several fields live there.
      return fc.oneof(
        { weight: 3, arbitrary: fc.record(model, { requiredKeys: required.filter((r) => r in model) }) },
        { weight: 1, arbitrary: fc.record(model) },
      );
    }
    default:
      return unknownFromKey(ctx, key);
  }
};

// ---------------------------------------------------------------------------------------------------
// From outside a contract: wrong types, extremes, deep nesting, prototype keys.

const nestedObjects = (depth: number) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const nestedArrays = (depth: number) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);

/** Built from JSON text, so `__proto__` is an own key, as a server receiving this body would see it. */
const protoObject = (): FuzzObject =>
  JSON.parse(
    '{"__proto__":{"role":"hub-admin","isHost":true,"authorityId":"hub-host"},"constructor":{"prototype":{"role":"hub-admin"}}}',
  ) as FuzzObject;

export const HOSTILE_VALUES: readonly FuzzValue[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  1.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  new RawJson('-0'),
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('9007199254740993'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('1E-400'),
  new RawJson('0.10000000000000000000000000001'),
  '',
  ' ',
  HUGE_TEXT,
  HUGE_ASTRAL,
  ...NASTY_TEXT,
  '2026-02-30',
  '0000-01-01',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '2027-02-29',
  '10000-01-01',
  '+010000-01-01',
  '-000001-01-01',
  '2026-02-28T25:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '{}',
  '[]',
  [],
  [null],
  {},
  [[[]]],
  { a: { b: { c: {} } } },
  nestedObjects(19),
  nestedObjects(21),
  nestedArrays(20),
  nestedArrays(100),
  nestedObjects(3000),
  nestedArrays(5000),
];

export const hostileArb = (pools: Pools): fc.Arbitrary<FuzzValue> => {
  const ids = allIds(pools);
  const arbs: fc.WeightedArbitrary<FuzzValue>[] = [
    { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<FuzzValue> },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constant(null).map(protoObject) },
  ];
  if (ids.length > 0) arbs.push({ weight: 2, arbitrary: fc.constantFrom(...ids) });
  return fc.oneof(...arbs);
};

/** Keys a server must not trust or trip over when they arrive as extra fields. */
export const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '$where',
  'a.b',
  '',
  ' ',
  'role',
  'authorityId',
  'isHost',
  'createdBy',
  'status',
  'version',
  'id',
] as const;

const MUTATIONS = [
  'replace',
  'replace',
  'replace',
  'drop',
  'extra',
  'proto',
  'wrap',
  'stringify',
  'nullify',
] as const;
type Mutation = (typeof MUTATIONS)[number];

type Slot = { parent: FuzzObject | FuzzValue[]; key: string | number };

/** Every field and array element of a value, parents first. */
const slotsOf = (v: FuzzValue, into: Slot[] = []): Slot[] => {
  if (Array.isArray(v))
    v.forEach((item, i) => {
      into.push({ parent: v, key: i });
      slotsOf(item, into);
    });
  else if (isFuzzObject(v))
    for (const k of Object.keys(v)) {
      into.push({ parent: v, key: k });
      slotsOf(v[k] ?? null, into);
    }
  return into;
};

const objectsOf = (v: FuzzValue): FuzzObject[] => [
  ...(isFuzzObject(v) ? [v] : []),
  ...slotsOf(v)
    .map((s) => (Array.isArray(s.parent) ? s.parent[s.key as number] : s.parent[s.key as string]))
    .filter(isFuzzObject),
];

const readSlot = (s: Slot): FuzzValue =>
  (Array.isArray(s.parent) ? s.parent[s.key as number] : s.parent[s.key as string]) ?? null;

const writeSlot = (s: Slot, value: FuzzValue): void => {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = value;
  else setOwn(s.parent, s.key as string, value);
};

const typeConfused = (v: FuzzValue): FuzzValue => {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? Number(v) : [v];
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : toJsonText(x))).join(',');
  if (isFuzzObject(v)) return toJsonText(v);
  return v === null ? 'null' : v;
};

const applyMutation = (
  valid: FuzzValue,
  replacement: FuzzValue,
  pick: number,
  mutation: Mutation,
  extraKey: string,
): FuzzValue => {
  const value = cloneValue(valid);
  const slots = slotsOf(value);
  const slot = slots.length > 0 ? slots[pick % slots.length] : undefined;
  switch (mutation) {
    case 'replace':
      if (!slot) return replacement;
      writeSlot(slot, replacement);
      return value;
    case 'drop':
      if (!slot) return value;
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      return value;
    case 'extra': {
      const objects = objectsOf(value);
      const target = objects[pick % Math.max(objects.length, 1)];
      if (!target) return [value, replacement];
      setOwn(target, extraKey, replacement);
      return value;
    }
    case 'proto': {
      if (!isFuzzObject(value)) return value;
      const proto = protoObject();
      for (const k of Object.keys(proto)) setOwn(value, k, proto[k] ?? null);
      return value;
    }
    case 'wrap':
      return [value];
    case 'stringify':
      if (!slot) return typeConfused(value);
      writeSlot(slot, typeConfused(readSlot(slot)));
      return value;
    case 'nullify':
      if (!slot) return null;
      writeSlot(slot, null);
      return value;
  }
};

/** A valid-looking value with one thing wrong with it: a field replaced, dropped, added or retyped. */
export const mutatedArb = (
  valid: fc.Arbitrary<FuzzValue>,
  hostile: fc.Arbitrary<FuzzValue>,
): fc.Arbitrary<FuzzValue> =>
  fc
    .tuple(valid, hostile, fc.nat(), fc.constantFrom(...MUTATIONS), fc.constantFrom(...EXTRA_KEYS))
    .map(([v, r, pick, mutation, extraKey]) => applyMutation(v, r, pick, mutation, extraKey));

/** Inputs for one procedure: valid-looking ones, ones with one thing wrong, and wholly hostile ones. */
export const inputArb = (schema: JsonSchema | null, ctx: GenContext): fc.Arbitrary<FuzzInput> => {
  const hostile = hostileArb(ctx.pools);
  const none = fc.constant(undefined);
  if (schema === null) return fc.oneof({ weight: 1, arbitrary: none }, { weight: 3, arbitrary: hostile });
  const { repair } = ctx;
  const valid = repair
    ? fc.tuple(fromSchema(schema, ctx), fc.nat()).map(([v, pick]) => {
        if (isFuzzObject(v)) repair(v, pick);
        return v;
      })
    : fromSchema(schema, ctx);
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 4, arbitrary: mutatedArb(valid, hostile) },
    { weight: 2, arbitrary: hostile },
    { weight: 1, arbitrary: none },
  );
};

/** Base64url cursors that decode to plausible-looking but wrong keys: what a tampered cursor holds. */
export const forgedCursors = (ids: readonly string[]): string[] => {
  const id = ids[0] ?? '00000000-0000-0000-0000-000000000000';
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
  return [
    encode(['9999-12-31', id]),
    encode(['0001-01-01', id]),
    encode(['2026-02-30', id]),
    encode(['+010000-01-01', id]),
    encode(['2026-04-01T00:00:00Z', id]),
    encode([id]),
    encode([id, id, id]),
    encode(['x'.repeat(300), id]),
    encode(['\u0000', id]),
    encode([1, 2]),
    encode({ a: 1 }),
    encode(null),
    'not-base64!!',
    '',
    Buffer.from([0xff, 0xfe, 0x00]).toString('base64url'),
  ];
};

/** A string for a fuzz value in a URL: text as it is, anything else as its JSON. */
export const asText = (v: FuzzValue): string => (typeof v === 'string' ? v : toJsonText(v));

/** Shortens a value for a report: long strings become `"x…" ×100000`. */
export const describeInput = (input: FuzzInput, max = 600): string => {
  if (input === undefined) return '(no input)';
  const text = toJsonText(input).replace(/"((?:[^"\\]|\\.){60})(?:[^"\\]|\\.){40,}"/g, (_m, head: string) => {
    return `"${head}…"`;
  });
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
};
