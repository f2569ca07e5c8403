// The breaking-change guard on fixture edits of the real spec, each in a temporary copy of the project's
// api-releases/ and CHANGELOG-API.md: what breaks a generated client fails unless the major version is raised and
// the changelog names it; a compatible change passes with a minor bump. Needs oasdiff (test:api-evolution).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Document, parseDocument } from 'yaml';
import { renderEntry, withEntry } from '../../scripts/api-evolution/changelog.js';
import { checkEvolution, type Project } from '../../scripts/api-evolution/guard.js';
import { allChanges } from '../../scripts/api-evolution/oasdiff.js';
import { releasedSpec, releasedVersions } from '../../scripts/api-evolution/versions.js';

const root = new URL('../../', import.meta.url).pathname;
const released = releasedVersions(join(root, 'api-releases')).at(-1) as string;
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A project whose openapi.yaml is the last release's spec after `edit`, with info.version set to `version`. */
function project(version: string, edit: (spec: Document) => void = () => {}): Project {
  const folder = mkdtempSync(join(tmpdir(), 'stores-api-guard-'));
  folders.push(folder);
  const files = {
    spec: join(folder, 'openapi.yaml'),
    releases: join(folder, 'api-releases'),
    changelog: join(folder, 'CHANGELOG-API.md'),
  };
  cpSync(join(root, 'api-releases'), files.releases, { recursive: true });
  cpSync(join(root, 'CHANGELOG-API.md'), files.changelog);
  const spec = parseDocument(readFileSync(releasedSpec(files.releases, released), 'utf8'));
  edit(spec);
  spec.setIn(['info', 'version'], version);
  writeFileSync(files.spec, spec.toString());
  return files;
}

/** Writes the changelog section `npm run api:release` would write for the project's openapi.yaml. */
async function writeChangelog(files: Project, version: string): Promise<void> {
  const changes = await allChanges(releasedSpec(files.releases, released), files.spec);
  const entry = renderEntry({ version, previous: released, date: '2026-12-01', changes, specFile: files.spec });
  writeFileSync(files.changelog, withEntry(readFileSync(files.changelog, 'utf8'), version, entry));
}

const [major, minor] = released.split('.').map(Number) as [number, number];
const minorBump = `${major}.${minor + 1}.0`;
const majorBump = `${major + 1}.0.0`;

const breakingEdits: [string, (spec: Document) => void, string][] = [
  [
    'a removed response field',
    (spec) => spec.deleteIn(['components', 'schemas', 'Store', 'properties', 'itemsNext']),
    'getStore',
  ],
  [
    'a new required request field',
    (spec) => {
      spec.setIn(['components', 'schemas', 'StoreCreate', 'properties', 'region'], {
        type: 'string',
        description: 'Where.',
        examples: ['eu'],
      });
      spec.addIn(['components', 'schemas', 'StoreCreate', 'required'], 'region');
    },
    'createStore',
  ],
  [
    'a narrowed enum',
    (spec) => spec.setIn(['components', 'parameters', 'ItemSort', 'schema', 'enum'], ['name', '-name']),
    'listItems',
  ],
  ['a removed operation', (spec) => spec.deleteIn(['paths', '/tags/{tagId}', 'delete']), 'deleteTag'],
];

describe('the breaking-change guard', () => {
  it('passes the spec as released, with no bump', async () => {
    const verdict = await checkEvolution(project(released));
    expect(verdict.lines.join('\n')).toContain('unchanged');
    expect(verdict.ok).toBe(true);
  });

  it.each(breakingEdits)(
    'fails %s under a minor bump, naming the operation it breaks',
    async (_, edit, operationId) => {
      const verdict = await checkEvolution(project(minorBump, edit));
      const said = verdict.lines.join('\n');
      expect(verdict.ok).toBe(false);
      expect(said).toContain('a breaking change needs a new major version');
      expect(said).toContain(`breaking: ${operationId}`);
    },
  );

  it.each(breakingEdits)('fails %s under a new major that the changelog does not name', async (_, edit) => {
    const verdict = await checkEvolution(project(majorBump, edit));
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toContain(`CHANGELOG-API.md has no section for ${majorBump}`);
  });

  it.each(breakingEdits)('passes %s under a new major written in the changelog', async (_, edit, operationId) => {
    const files = project(majorBump, edit);
    await writeChangelog(files, majorBump);
    expect(readFileSync(files.changelog, 'utf8')).toMatch(new RegExp(`\\*\\*Breaking:\\*\\* .*${operationId}`));
    const verdict = await checkEvolution(files);
    expect(verdict.lines.join('\n')).toContain('with a new major and in the changelog');
    expect(verdict.ok).toBe(true);
  });

  it('fails a changelog section that leaves out an operation the change breaks', async () => {
    const [, edit] = breakingEdits[3] as (typeof breakingEdits)[number];
    const files = project(majorBump, edit);
    writeFileSync(
      files.changelog,
      withEntry(readFileSync(files.changelog, 'utf8'), majorBump, `## ${majorBump} (2026-12-01)\n\n- Tags.\n`),
    );
    const verdict = await checkEvolution(files);
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toContain('does not name deleteTag');
  });

  const addOptional = (spec: Document) =>
    spec.setIn(['components', 'schemas', 'StoreCreate', 'properties', 'region'], {
      type: 'string',
      description: 'Where.',
      examples: ['eu'],
    });

  it('passes an added optional request field under a minor bump', async () => {
    const verdict = await checkEvolution(project(minorBump, addOptional));
    expect(verdict.lines.join('\n')).toMatch(/\d+ compatible changes?, no breaking change/);
    expect(verdict.ok).toBe(true);
  });

  it('passes an added optional request field under a patch bump', async () => {
    expect((await checkEvolution(project(`${major}.${minor}.1`, addOptional))).ok).toBe(true);
  });

  it('fails an added optional request field without a bump', async () => {
    const verdict = await checkEvolution(project(released, addOptional));
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toContain(`changed after ${released} was released`);
  });

  it('fails a version lower than the last release, and one that is not semantic', async () => {
    expect((await checkEvolution(project('0.0.1'))).ok).toBe(false);
    expect((await checkEvolution(project('v2'))).ok).toBe(false);
  });
});
