// Requests generated from the OpenAPI document (/openapi.json) for test/e2e/fuzz.test.ts: each value follows its
// schema most of the time, so requests get past validation and into the handlers and workflows, and is replaced by a
// hostile one otherwise (NUL, blank, impossible dates, wrong types, huge numbers …), so validation is probed too.
import fc from 'fast-check';

export type JsonSchema = Record<string, any>;

/** Values no well-behaved client sends; any of them may stand in for any leaf. */
export const HOSTILE_VALUES: unknown[] = [
  '',
  '   ',
  '\u0000',
  'a\u0000b',
  '\t\r\n',
  'x'.repeat(5000),
  '2026-11-31',
  '0000-01-01',
  '9999-12-31',
  '2026-02-29',
  '1e400',
  'NaN',
  '../../../etc/passwd',
  "' OR 1=1 --",
  '=HYPERLINK("http://x")',
  '\ud800',
  '🙂'.repeat(60),
  '%00',
  -1,
  0,
  1.5,
  1e21,
  -1e21,
  Number.MAX_SAFE_INTEGER + 2,
  null,
  true,
  [],
  {},
  { $ne: null },
  ['a', 1, null],
];

const hostile = fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.jsonValue({ maxDepth: 2 }));

export interface FuzzContext {
  doc: JsonSchema;
  /** Real values by field name (region codes, ID numbers, months …), so requests reach past lookups. */
  known: Record<string, readonly unknown[]>;
  /** How often a leaf is hostile: 1 in `hostileOneIn`. */
  hostileOneIn: number;
}

function resolve(ctx: FuzzContext, s: JsonSchema): JsonSchema {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 10; i++) {
    const path = String(cur.$ref).replace(/^#\//, '').split('/');
    cur = path.reduce((o: any, k) => o?.[k], ctx.doc) ?? {};
  }
  return cur ?? {};
}

const DAY = 86_400_000;
const dates = fc.oneof(
  fc.integer({ min: Date.UTC(1900, 0, 1) / DAY, max: Date.UTC(2100, 11, 31) / DAY }).map((d) => iso(d * DAY)),
  fc.integer({ min: -60, max: 60 }).map((d) => iso(Date.now() + d * DAY)),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);
function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? 40, 60);
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date') return dates;
  if (s.pattern) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern);
    } catch {
      re = undefined;
    }
    // Texts are trimmed before their length is checked: pad what is too short, cut what is too long.
    if (re)
      return fc
        .stringMatching(re, { size: 'xsmall' })
        .map((x) => (x.trim().length < minLength && re.test(`${x}a`) ? `${x}${'a'.repeat(minLength)}` : x))
        .map((x) => (x.length > (s.maxLength ?? Infinity) ? x.slice(0, s.maxLength) : x));
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: 'grapheme' });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? -1e6;
  const hi = s.maximum ?? 1e6;
  const min = s.exclusiveMinimum === true ? lo + (integer ? 1 : 0.01) : lo;
  const max = s.exclusiveMaximum === true ? hi - (integer ? 1 : 0.01) : hi;
  const bounded = fc.integer({ min: Math.ceil(Math.max(min, -1e9)), max: Math.floor(Math.min(max, 1e9)) });
  if (integer) return fc.oneof({ weight: 4, arbitrary: bounded.filter((n) => n <= max && n >= min) }, fc.constant(min));
  // Amounts are yuan with at most two decimals: mostly such, sometimes any double in range.
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 100_000 }).map((n) => Math.min(max, Math.max(min, n / 100))) },
    { weight: 1, arbitrary: fc.double({ min, max: Math.min(max, 1e12), noNaN: true }) },
  );
}

/** An arbitrary for `s`; `field` is the property name it sits under (to use the known values for it). */
export function arbitraryFor(ctx: FuzzContext, schema: JsonSchema, field = '', depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(ctx, schema);
  const valid = validArb(ctx, s, field, depth);
  const known = ctx.known[field];
  const likely = known?.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: valid })
    : valid;
  return fc.oneof(
    {
      weight: ctx.hostileOneIn - 1,
      arbitrary: s.nullable ? fc.oneof({ weight: 7, arbitrary: likely }, fc.constant(null)) : likely,
    },
    { weight: 1, arbitrary: hostile },
  );
}

function validArb(ctx: FuzzContext, s: JsonSchema, field: string, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant({});
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives?.length)
    return fc.oneof(...alternatives.map((a: JsonSchema) => validArb(ctx, resolve(ctx, a), field, depth + 1)));
  if (s.allOf?.length) {
    const merged = s.allOf.map((a: JsonSchema) => resolve(ctx, a));
    return validArb(
      ctx,
      {
        type: 'object',
        properties: Object.assign({}, ...merged.map((m: JsonSchema) => m.properties ?? {})),
        required: merged.flatMap((m: JsonSchema) => m.required ?? []),
      },
      field,
      depth,
    );
  }
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor(ctx, s.items ?? {}, field, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case 'object':
    case undefined:
      if (!s.properties && s.type === undefined) return fc.jsonValue({ maxDepth: 2 });
      return objectArb(ctx, s, depth);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function objectArb(ctx: FuzzContext, s: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, JsonSchema> = s.properties ?? {};
  const required = new Set<string>(s.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) record[k] = arbitraryFor(ctx, v, k, depth + 1);
  const base = fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
  // Now and then a key the schema does not know, or a required one dropped.
  return fc.oneof(
    { weight: ctx.hostileOneIn * 2, arbitrary: base },
    { weight: 1, arbitrary: fc.tuple(base, fc.string({ maxLength: 8 })).map(([o, k]) => ({ ...o, [`x${k}`]: 1 })) },
    {
      weight: 1,
      arbitrary: base.map((o) => {
        const [first] = [...required];
        if (!first) return o;
        const copy = { ...o };
        delete copy[first];
        return copy;
      }),
    },
  );
}
