import fc from 'fast-check';

// Arbitraries read from the spec's own JSON Schemas: `validFor(schema)` makes values the schema accepts,
// `invalidFor(schema)` values it refuses (wrong type, out of bounds, unknown or missing members), `anyValue`
// anything JSON can hold. Covers the keywords openapi.yaml uses; an unknown one fails loudly rather than
// silently generating the wrong thing.

export type Schema = Record<string, unknown>;

const handled = new Set([
  'type',
  'description',
  'examples',
  'example',
  // Names for generated clients' enum members: no constraint on values.
  'x-enum-varnames',
  'default',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'multipleOf',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'items',
  'maxItems',
  'minItems',
  'writeOnly',
  'readOnly',
]);

export const anyValue: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** Text of any kind: unicode, control characters and NUL included. */
export const anyText = fc.string({ unit: 'binary', maxLength: 80 });

export function validFor(schema: Schema): fc.Arbitrary<unknown> {
  for (const key of Object.keys(schema)) {
    if (!handled.has(key)) throw new Error(`schema-arbitrary does not handle "${key}" yet`);
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return fc.oneof(...types.map((type) => validOfType(schema, String(type))));
}

function validOfType(schema: Schema, type: string): fc.Arbitrary<unknown> {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 });
    case 'number': {
      // Multiples of `multipleOf` (money in cents): integers scaled, so the value is exact in decimal.
      const step = (schema.multipleOf as number | undefined) ?? 1;
      const lowest = Math.ceil((min ?? -1_000_000) / step);
      const highest = Math.floor((max ?? 1_000_000) / step);
      return fc
        .integer({ min: lowest, max: Math.min(highest, lowest + 10_000_000) })
        .map((n) => Number((n * step).toFixed(2)));
    }
    case 'string':
      return validString(schema);
    case 'array':
      return fc.array(validFor((schema.items ?? {}) as Schema), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxItems as number | undefined) ?? 5, 5),
      });
    case 'object':
      return validObject(schema);
    default:
      throw new Error(`schema-arbitrary does not handle type ${type}`);
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = (schema.maxLength as number | undefined) ?? 200;
  const fits = (s: string) => [...s].length >= minLength && [...s].length <= maxLength;
  switch (schema.format) {
    case 'email':
      return fc.emailAddress().filter((s) => fits(s) && s.length <= maxLength);
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, minLength + 60) }).filter(fits);
}

function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = (schema.required ?? []) as string[];
  const record = fc.record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, validFor(s)])), {
    requiredKeys: required,
  });
  const atLeast = (schema.minProperties as number | undefined) ?? 0;
  return record.filter((o) => Object.keys(o).length >= atLeast) as fc.Arbitrary<Record<string, unknown>>;
}

/** Values the schema refuses; each kind of mistake a client (or an attacker) makes. */
export function invalidFor(schema: Schema): fc.Arbitrary<unknown> {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).map(String);
  const mistakes: fc.Arbitrary<unknown>[] = [anyValue.filter((v) => !accepted(types, v))];
  if (Array.isArray(schema.enum)) mistakes.push(anyText.filter((v) => !(schema.enum as unknown[]).includes(v)));
  if (types.includes('string')) {
    const maxLength = schema.maxLength as number | undefined;
    if (maxLength !== undefined) mistakes.push(fc.constant('x'.repeat(maxLength + 1)));
    if (schema.minLength === 1) mistakes.push(fc.constant(''));
  }
  if (types.includes('number') || types.includes('integer')) {
    if (typeof schema.minimum === 'number') mistakes.push(fc.constant(schema.minimum - 1));
    if (typeof schema.maximum === 'number') mistakes.push(fc.constant(schema.maximum + 1));
    mistakes.push(fc.constantFrom(2 ** 53 + 1, 1e308, -0.001, 0.125));
  }
  if (types.includes('object')) {
    const valid = validObject(schema);
    mistakes.push(valid.map((o) => ({ ...o, unexpectedMember: 'x' })));
    for (const name of (schema.required ?? []) as string[]) {
      mistakes.push(valid.map(({ [name]: _gone, ...rest }) => rest));
    }
    const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
    for (const [name, property] of properties) {
      mistakes.push(fc.tuple(valid, invalidFor(property)).map(([o, bad]) => ({ ...o, [name]: bad })));
    }
  }
  return fc.oneof(...mistakes);
}

/** Whether a value is of one of the JSON Schema types (an integer is also a number). */
function accepted(types: string[], value: unknown): boolean {
  if (value === null) return types.includes('null');
  if (Array.isArray(value)) return types.includes('array');
  if (typeof value === 'number')
    return types.includes('number') || (Number.isInteger(value) && types.includes('integer'));
  return types.includes(typeof value);
}
