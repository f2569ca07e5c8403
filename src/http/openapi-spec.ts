import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** In dist/, `npm run build` leaves the spec already parsed beside its copy of openapi.yaml. */
const parsedPath = new URL('../../openapi.json', import.meta.url);

/**
 * The document: from the parsed copy when there is one no older than openapi.yaml (start-up then skips about
 * 100 ms of YAML parsing), else parsed with js-yaml, about five times faster than `yaml` (which the generator
 * keeps for its Document API).
 */
function parse(yaml: string): Record<string, unknown> {
  const fresh = existsSync(parsedPath) && statSync(parsedPath).mtimeMs >= statSync(specPath).mtimeMs;
  return (fresh ? JSON.parse(readFileSync(parsedPath, 'utf8')) : parseYaml(yaml)) as Record<string, unknown>;
}

async function load(): Promise<LoadedSpec> {
  const yaml = readFileSync(specPath, 'utf8');
  const document = parse(yaml);
  const backend = new OpenAPI31Backend({
    definition: structuredClone(document) as never,
    strict: true,
    validate: true,
    // Compile validators on demand: the binding compiles each operation's request validators on its first
    // request, and the response validators openapi-backend would also build (half of its start-up) are never used.
    quick: true,
    customizeAjv: (_draft07, options) => createAjv(options) as never,
  });
  await backend.init();
  return { document, yaml, backend };
}
