// npm run api:check: the breaking-change guard (scripts/api-evolution/guard.ts) on openapi.yaml, against the spec
// of the last API release in api-releases/. Needs oasdiff (`.ci/run` installs it into .tools/bin).
import { join } from 'node:path';
import { checkEvolution } from './api-evolution/guard.js';
import { root } from './consumer/tools.js';

const verdict = await checkEvolution({
  spec: join(root, 'openapi.yaml'),
  releases: join(root, 'api-releases'),
  changelog: join(root, 'CHANGELOG-API.md'),
});
for (const line of verdict.lines) console.log(line);
console.log(`api versioning: ${verdict.ok ? 'ok' : 'FAILED'}`);
process.exitCode = verdict.ok ? 0 : 1;
