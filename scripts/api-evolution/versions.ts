// info.version is a semantic version (MAJOR.MINOR.PATCH); each released one keeps its spec in
// api-releases/<version>/openapi.yaml.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type Version = [major: number, minor: number, patch: number];

export function parseVersion(text: string): Version | undefined {
  const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The info.version of an OpenAPI document on disk. */
export function specVersion(file: string): string {
  const document = parse(readFileSync(file, 'utf8')) as { info?: { version?: unknown } };
  return String(document.info?.version ?? '');
}

/** The released versions, oldest first. */
export function releasedVersions(releases: string): string[] {
  if (!existsSync(releases)) return [];
  return readdirSync(releases)
    .filter((name) => parseVersion(name) && existsSync(join(releases, name, 'openapi.yaml')))
    .sort((a, b) => compareVersions(parseVersion(a) as Version, parseVersion(b) as Version));
}

export const releasedSpec = (releases: string, version: string) => join(releases, version, 'openapi.yaml');
