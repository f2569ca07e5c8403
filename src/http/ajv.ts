import { type SchemaValidateFunction, str } from 'ajv';
import { Ajv2020, type Options } from 'ajv/dist/2020.js';

import addFormats from 'ajv-formats';

/**
 * The one Ajv configuration for the whole API. OpenAPI 3.1 schemas are JSON Schema 2020-12, so this is an
 * Ajv2020 (openapi-backend's default is draft-07), with the `format` keywords enforced (ajv-formats) and an
 * exact `multipleOf` (below).
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ ...options, strict: false, allErrors: true, verbose: true, useDefaults: true });
  addFormats.default(ajv);
  ajv.removeKeyword('multipleOf');
  const multipleOf: SchemaValidateFunction = (step: number, value: number) => isMultipleOf(value, step);
  ajv.addKeyword({
    keyword: 'multipleOf',
    type: 'number',
    schemaType: 'number',
    validate: multipleOf,
    error: { message: ({ schema }) => str`must be a multiple of ${schema}` },
  });
  return ajv;
}

/**
 * `multipleOf` without floating-point false alarms. Ajv divides (15.99 / 0.01 = 1598.9999999999998) and allows
 * a fixed tolerance, which rejects valid prices above about 111,848.18. For a step that is 1/n (0.01 is 1/100),
 * `value` is a multiple exactly when rounding value × n to an integer k and dividing back gives `value` again:
 * k / n is correctly rounded, so it is the very double a client's "15.99" parses to, and nothing else is.
 */
export function isMultipleOf(value: number, step: number): boolean {
  const inverse = Math.round(1 / step);
  if (inverse >= 1 && 1 / inverse === step) return Math.round(value * inverse) / inverse === value;
  return Number.isInteger(value / step);
}
