// npm run api:release: records openapi.yaml as the release of its info.version. Writes that version's section of
// CHANGELOG-API.md from oasdiff's comparison with the previous release (with an empty document for the first),
// keeps a copy of the spec in api-releases/<version>/openapi.yaml, the baseline the guard compares with from then
// on, and runs the guard. Raise info.version first; edit the section's words afterwards if you like (the guard
// wants each broken operation named).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderEntry, withEntry } from './api-evolution/changelog.js';
import { checkEvolution } from './api-evolution/guard.js';
import { allChanges } from './api-evolution/oasdiff.js';
import { releasedSpec, releasedVersions, specVersion } from './api-evolution/versions.js';
import { root } from './consumer/tools.js';

const spec = join(root, 'openapi.yaml');
const releases = join(root, 'api-releases');
const changelogFile = join(root, 'CHANGELOG-API.md');
const version = specVersion(spec);
const previous = releasedVersions(releases).at(-1);
if (previous === version) {
  console.error(`${version} is already released: raise info.version in openapi.yaml first`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'stores-api-release-'));
try {
  let base = previous && releasedSpec(releases, previous);
  if (!base) {
    base = join(scratch, 'empty.yaml');
    writeFileSync(base, 'openapi: 3.1.0\ninfo: {title: none, version: 0.0.0}\npaths: {}\n');
  }
  const changes = await allChanges(base, spec);
  if (previous && changes.length === 0) {
    console.error(`nothing a client can notice changed since ${previous}: no release needed`);
    process.exit(1);
  }
  const date = new Date().toISOString().slice(0, 10);
  const entry = renderEntry({ version, previous, date, changes, specFile: spec });
  const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : '';
  writeFileSync(changelogFile, withEntry(changelog, version, entry));
  const copy = releasedSpec(releases, version);
  mkdirSync(dirname(copy), { recursive: true });
  copyFileSync(spec, copy);
  console.log(`released ${version}: CHANGELOG-API.md (${changes.length} changes), ${copy.slice(root.length)}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const verdict = await checkEvolution({ spec, releases, changelog: changelogFile });
for (const line of verdict.lines) console.log(line);
process.exitCode = verdict.ok ? 0 : 1;
