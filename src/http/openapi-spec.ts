import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { OpenAPIBackend } from 'openapi-backend';
import { createAjv } from './ajv.js';

/**
 * openapi-backend checks documents against the OpenAPI 3.0 meta-schema, which rejects valid 3.1 constructs such as
 * `type: [string, 'null']`. That one check is skipped here; the spec is read as 3.1 by the generator
 * (openapi-typescript parses and checks it, and the binding rules are enforced there), every schema is compiled
 * by Ajv 2020-12 at start-up, and `strict: true` keeps every other failure loud.
 */
class OpenAPI31Backend extends OpenAPIBackend {
  override validateDefinition() {
    return this.document;
  }
}

export interface LoadedSpec {
  /** The document exactly as written, for /openapi.json and the docs. */
  readonly document: Record<string, unknown>;
  /** The text of openapi.yaml, served as is at /openapi.yaml. */
  readonly yaml: string;
  /** Dereferenced, with request validators compiled once for every operation. */
  readonly backend: OpenAPIBackend;
}

export const specPath = new URL('../../openapi.yaml', import.meta.url);

let loading: Promise<LoadedSpec> | undefined;

/** Reads, dereferences and compiles openapi.yaml once per process; every app built afterwards shares the result. */
export function loadSpec(): Promise<LoadedSpec> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LoadedSpec> {
  const yaml = readFileSync(specPath, 'utf8');
  // js-yaml reads the spec about five times faster than `yaml` (which the generator keeps for its Document API).
  const document = parseYaml(yaml) as Record<string, unknown>;
  const backend = new OpenAPI31Backend({
    definition: structuredClone(document) as never,
    strict: true,
    validate: true,
    // Compile validators on demand: the binding asks for every operation's request validators at start-up, and
    // the response validators openapi-backend would also build (half of its start-up) are never used here.
    quick: true,
    customizeAjv: (_draft07, options) => createAjv(options) as never,
  });
  await backend.init();
  return { document, yaml, backend };
}
