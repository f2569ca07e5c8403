// CHANGELOG-API.md: one section per released info.version, newest first, written from oasdiff's changelog in the
// words a consumer reads: what was added, changed, deprecated and removed, each line naming the operation.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Change, isBreaking } from './oasdiff.js';

export const changelogHeader = `# API changelog

What changed in [\`openapi.yaml\`](openapi.yaml) for a client, release by release, newest first. The version is
the spec's \`info.version\`; the versioning policy is in README.md ("Versioning and changes"). Each section is
written by \`npm run api:release\` from oasdiff's comparison with the previous release (kept in
\`api-releases/<version>/openapi.yaml\`); a line marked **Breaking** needs a change in an existing client.
`;

const kinds = ['Added', 'Changed', 'Deprecated', 'Removed'] as const;
type Kind = (typeof kinds)[number];

function kindOf(change: Change): Kind {
  if (/reactivated/.test(change.id)) return 'Changed';
  if (/deprecated/.test(change.id)) return 'Deprecated';
  if (/removed|deleted/.test(change.id)) return 'Removed';
  if (/added/.test(change.id)) return 'Added';
  return 'Changed';
}

/** How the line names what changed: the operation and its method and path, or the section of the document. */
function subjectOf(change: Change): string {
  if (change.operationId) return `\`${change.operationId}\` (\`${change.operation} ${change.path}\`)`;
  if (change.operation) return `\`${change.operation} ${change.path}\``;
  if (change.path) return `\`${change.path}\``;
  return `The document's ${change.section ?? 'components'}`;
}

type Summaries = Map<string, string>;

function sentence(change: Change, summaries: Summaries): string {
  const subject = subjectOf(change);
  const summary = change.operationId ? summaries.get(change.operationId) : undefined;
  if (change.id === 'endpoint-added') return `New operation ${subject}${summary ? `: ${summary}` : ''}.`;
  if (change.id === 'endpoint-deprecated') return `${subject} is deprecated: move off it before it is removed.`;
  const text = change.text.replace(/\s+/g, ' ').trim();
  if (!change.operationId && !change.operation && !change.path) return `${capitalize(text)}.`;
  return `${subject}: ${text}.`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Each operation's summary in a spec, by operationId. */
function summariesOf(specFile: string): Summaries {
  const document = parse(readFileSync(specFile, 'utf8')) as {
    paths?: Record<string, Record<string, { operationId?: string; summary?: string }>>;
  };
  const summaries: Summaries = new Map();
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId && operation.summary) summaries.set(operation.operationId, operation.summary);
    }
  }
  return summaries;
}

/** The changelog section for `version`, from the changes since `previous` (undefined for the first release). */
export function renderEntry(options: {
  version: string;
  previous: string | undefined;
  date: string;
  changes: Change[];
  specFile: string;
}): string {
  const { version, previous, date, specFile } = options;
  // oasdiff's own remarks on info.version (`api-version-not-bumped` and the like) are the guard's business.
  const changes = options.changes.filter((change) => !/^api-(major-)?version-/.test(change.id));
  const summaries = summariesOf(specFile);
  const lines = [`## ${version} (${date})`, ''];
  const breaking = changes.filter(isBreaking).length;
  if (!previous) lines.push('The first release: every operation below is new.', '');
  else if (breaking > 0) {
    lines.push(
      `${breaking} breaking change${breaking === 1 ? '' : 's'} since ${previous}: see the lines marked **Breaking**.`,
      '',
    );
  } else lines.push(`Compatible with ${previous}: a client generated from it keeps working.`, '');
  for (const kind of kinds) {
    const ofKind = changes.filter((change) => kindOf(change) === kind);
    if (ofKind.length === 0) continue;
    lines.push(`### ${kind}`, '');
    const written = new Set<string>();
    for (const change of ofKind) {
      const line = `- ${isBreaking(change) ? '**Breaking:** ' : ''}${sentence(change, summaries)}`;
      if (!written.has(line)) lines.push(line);
      written.add(line);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The section of CHANGELOG-API.md for `version` (its heading line to the next `## `), or undefined. */
export function sectionFor(changelog: string, version: string): string | undefined {
  const sections = changelog.split(/^(?=## )/m);
  return sections.find((section) => section.startsWith(`## ${version} `) || section.startsWith(`## ${version}\n`));
}

/** CHANGELOG-API.md with the section for `version` put first (replacing one already there). */
export function withEntry(changelog: string, version: string, entry: string): string {
  const sections = changelog.split(/^(?=## )/m).filter((section) => section.startsWith('## '));
  const others = sections.filter((section) => section !== sectionFor(changelog, version));
  return [changelogHeader, entry, ...others].map((part) => `${part.trimEnd()}\n`).join('\n');
}

/** How a breaking change must be named in its version's changelog section to count as written there. */
export function nameOf(change: Change): string {
  return change.operationId ?? (change.path ? `${change.operation ?? ''} ${change.path}`.trim() : change.text);
}
