import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The one Ajv configuration for the whole API. OpenAPI 3.1 schemas are JSON Schema 2020-12, so this is an
 * Ajv2020 (openapi-backend's default is draft-07), with the `format` keywords enforced (ajv-formats) and
 * `multipleOf: 0.01` judged with a tolerance so that 15.99 counts as a multiple of 0.01.
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    ...options,
    strict: false,
    allErrors: true,
    verbose: true,
    useDefaults: true,
    multipleOfPrecision: 9,
  });
  addFormats.default(ajv);
  return ajv;
}
