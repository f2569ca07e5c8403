// Writes generated/ from openapi.yaml: the TypeScript types (openapi-typescript) and the typed route bindings.
// `--check` writes nothing and fails when generated/ differs from what the spec produces.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { readOperations } from './codegen/read-operations.js';
import { checkBindingRules, renderBindings } from './codegen/render-bindings.js';

const root = new URL('../', import.meta.url);
const specUrl = new URL('openapi.yaml', root);
const check = process.argv.includes('--check');

const doc = parse(await readFile(specUrl, 'utf8')) as Record<string, unknown>;
const operations = readOperations(doc);
const broken = checkBindingRules(operations);
if (broken.length > 0) {
  console.error(`openapi.yaml breaks the binding rules:\n- ${broken.join('\n- ')}`);
  process.exit(1);
}

const outputs: Record<string, string> = {
  'generated/openapi.ts': astToString(await openapiTS(specUrl)),
  'generated/operations.ts': renderBindings(operations),
};

let stale = 0;
for (const [path, contents] of Object.entries(outputs)) {
  const file = fileURLToPath(new URL(path, root));
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === contents) continue;
  if (check) {
    stale++;
    console.error(`${path} is stale: openapi.yaml has changed since it was generated.`);
  } else {
    await writeFile(file, contents);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) {
  console.error('Run `npm run generate` and commit generated/.');
  process.exit(1);
}
if (check) console.log('generated/ is up to date with openapi.yaml');
