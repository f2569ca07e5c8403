// The last step of `npm run build`: dist/ gets openapi.yaml (served as is, and the source of truth for the
// build) and openapi.json, the same document already parsed, so that the built server starts without parsing YAML.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { load } from 'js-yaml';

const root = new URL('../', import.meta.url);
copyFileSync(new URL('openapi.yaml', root), new URL('dist/openapi.yaml', root));
const document = load(readFileSync(new URL('openapi.yaml', root), 'utf8'));
writeFileSync(new URL('dist/openapi.json', root), JSON.stringify(document));
