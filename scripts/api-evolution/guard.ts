// The breaking-change guard: openapi.yaml against the spec of the last API release.
//  - unchanged since the release (nothing a client can notice): no bump needed;
//  - changed without breaking anything: info.version must be higher (a minor or patch bump);
//  - a breaking change: info.version's major must be higher, and CHANGELOG-API.md's section for the new version
//    must name every operation it breaks.
// Once a version is released (api-releases/<version>/ exists) the spec must not change under it, and the release
// itself is checked the same way against the one before.
import { existsSync, readFileSync } from 'node:fs';
import { nameOf, sectionFor } from './changelog.js';
import { allChanges, breakingChanges, type Change } from './oasdiff.js';
import {
  compareVersions,
  parseVersion,
  releasedSpec,
  releasedVersions,
  specVersion,
  type Version,
} from './versions.js';

export interface Project {
  spec: string;
  releases: string;
  changelog: string;
}

export interface Verdict {
  ok: boolean;
  /** What was compared and what was found, one line each; the failures say what to do. */
  lines: string[];
}

export async function checkEvolution(project: Project): Promise<Verdict> {
  const current = specVersion(project.spec);
  if (!parseVersion(current)) return fail(`info.version "${current}" is not a semantic version (MAJOR.MINOR.PATCH)`);
  const released = releasedVersions(project.releases);
  const latest = released.at(-1);
  if (!latest) return fail(`no release is recorded in ${project.releases}: run \`npm run api:release\``);
  const order = compareVersions(parseVersion(current) as Version, parseVersion(latest) as Version);
  if (order < 0) return fail(`info.version ${current} is lower than the last release, ${latest}`);
  if (order > 0) return judge(project, latest, project.spec, current);

  const since = await allChanges(releasedSpec(project.releases, latest), project.spec);
  if (since.length > 0) {
    return fail(
      `openapi.yaml changed after ${latest} was released, under the same info.version:`,
      ...since.map((change) => `  ${describe(change)}`),
      'raise info.version (major for a breaking change, else minor or patch) and run `npm run api:release`',
    );
  }
  const previous = released.at(-2);
  if (!previous) {
    return sectionFor(read(project.changelog), latest)
      ? pass(`openapi.yaml is the first release, ${latest}, unchanged`)
      : fail(`CHANGELOG-API.md has no section for ${latest}: run \`npm run api:release\``);
  }
  const verdict = await judge(project, previous, releasedSpec(project.releases, latest), latest);
  return { ...verdict, lines: [`openapi.yaml is release ${latest}, unchanged`, ...verdict.lines] };
}

/** Whether `version` of `revision` may follow the release `base` with the changes between them. */
async function judge(project: Project, base: string, revision: string, version: string): Promise<Verdict> {
  const baseFile = releasedSpec(project.releases, base);
  const [changes, breaking] = await Promise.all([allChanges(baseFile, revision), breakingChanges(baseFile, revision)]);
  const compared = `${version} against the release ${base}:`;
  if (breaking.length === 0) {
    return pass(
      `${compared} ${changes.length} compatible change${changes.length === 1 ? '' : 's'}, no breaking change`,
    );
  }
  const failures: string[] = [];
  const [baseMajor] = parseVersion(base) as Version;
  const [major] = parseVersion(version) as Version;
  if (major <= baseMajor) {
    failures.push(`a breaking change needs a new major version: info.version ${version} keeps major ${major}`);
  }
  const section = sectionFor(read(project.changelog), version);
  if (!section) failures.push(`CHANGELOG-API.md has no section for ${version}: run \`npm run api:release\``);
  else {
    const unwritten = [...new Set(breaking.map(nameOf))].filter((name) => !section.includes(name));
    if (unwritten.length > 0) {
      failures.push(`CHANGELOG-API.md's section for ${version} does not name ${unwritten.join(', ')}`);
    }
  }
  const listed = breaking.map((change) => `  breaking: ${describe(change)}`);
  if (failures.length === 0) {
    return pass(`${compared} ${breaking.length} breaking change(s), with a new major and in the changelog`, ...listed);
  }
  return fail(`${compared} ${breaking.length} breaking change(s)`, ...listed, ...failures);
}

function describe(change: Change): string {
  const where = change.operationId ?? (change.path ? `${change.operation ?? ''} ${change.path}`.trim() : '');
  return `${where ? `${where}: ` : ''}${change.text} [${change.id}]`;
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const pass = (...lines: string[]): Verdict => ({ ok: true, lines });
const fail = (...lines: string[]): Verdict => ({ ok: false, lines });
