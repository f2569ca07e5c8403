type Schema = { [keyword: string]: unknown };

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas; every other value is data. */
const oneSchema = new Set(['items', 'additionalProperties', 'contains', 'not', 'if', 'then', 'else']);
const listOfSchemas = new Set(['prefixItems']);
const mapOfSchemas = new Set(['properties', 'patternProperties', '$defs']);
const compositions = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * A response schema as the server must meet it: no property it does not declare. The spec's response objects are
 * open, so that clients accept members a later version adds; the server, which the spec describes, must send none
 * it does not name. So every object schema that names its properties and says nothing about others gets
 * `unevaluatedProperties: false` (JSON Schema 2020-12: it also sees the properties its `allOf` branches name, so
 * the branches themselves stay open). A copy: the spec's own schemas are left as they are.
 */
export function closedSchema(schema: unknown): unknown {
  return close(schema, new Map(), false);
}

function close(schema: unknown, copies: Map<object, Schema>, inBranch: boolean): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const done = copies.get(schema);
  if (done !== undefined) return done;
  const copy: Schema = {};
  copies.set(schema, copy);
  for (const [keyword, value] of Object.entries(schema)) {
    if (oneSchema.has(keyword)) copy[keyword] = close(value, copies, false);
    else if (listOfSchemas.has(keyword) && Array.isArray(value))
      copy[keyword] = value.map((s) => close(s, copies, false));
    else if (compositions.has(keyword) && Array.isArray(value))
      copy[keyword] = value.map((branch) => close(branch, new Map(), true));
    else if (mapOfSchemas.has(keyword) && value !== null && typeof value === 'object')
      copy[keyword] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, close(s, copies, false)]));
    else copy[keyword] = value;
  }
  const namesProperties = 'properties' in copy || [...compositions].some((keyword) => keyword in copy);
  if (namesProperties && !inBranch && !('additionalProperties' in copy) && !('unevaluatedProperties' in copy)) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}
