import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// package.json's `engines` must say the lowest Node the installed dependencies support, no lower (users would get
// EBADENGINE warnings and code that may not run) and no higher (it would turn users away for nothing); CI's two
// Node releases (scripts/node-line.sh) must be the newest of that lowest line and one the range allows.
const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string; onFail: string } };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const nodeLine = readFileSync(join(root, 'scripts', 'node-line.sh'), 'utf8');

/** Every locked package (the project itself excepted) that names the Node versions it runs on. */
function dependencyRanges(): { name: string; range: string }[] {
  const out: { name: string; range: string }[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') continue;
    const engines = entry.engines;
    // A few old packages still write `engines` as an array of strings ("node >= 0.8"): no floor of ours.
    if (!engines || Array.isArray(engines) || typeof engines.node !== 'string') continue;
    out.push({ name: `${path.replace(/^.*node_modules\//, '')}@${entry.version}`, range: engines.node });
  }
  return out;
}

function releaseIn(variable: string): string {
  const found = new RegExp(`^${variable}=(\\d+\\.\\d+\\.\\d+)$`, 'm').exec(nodeLine);
  if (!found?.[1]) throw new Error(`scripts/node-line.sh sets no ${variable}=X.Y.Z`);
  return found[1];
}

describe('the Node versions package.json states', () => {
  const floor = semver.minVersion(pkg.engines.node) ?? semver.parse('0.0.0');
  if (!floor) throw new Error('no floor');

  it('is a plain lower bound, which devEngines repeats so that npm warns on an older Node', () => {
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+\.\d+$/);
    expect(pkg.devEngines.runtime).toEqual({ name: 'node', version: pkg.engines.node, onFail: 'warn' });
  });

  it('is a floor every dependency in package-lock.json supports', () => {
    const refused = dependencyRanges().filter(({ range }) => !semver.satisfies(floor, range));
    expect(refused.map(({ name, range }) => `${name} needs node ${range}`)).toEqual([]);
  });

  it('is no higher than the dependencies need: one of them starts at exactly that version', () => {
    const needed = dependencyRanges()
      .map(({ name, range }) => ({ name, min: semver.minVersion(range) }))
      .filter((d): d is { name: string; min: semver.SemVer } => d.min !== null)
      .sort((a, b) => semver.compare(b.min, a.min));
    expect(needed[0]?.min.version).toBe(floor.version);
  });

  it("has CI's lowest release on that floor's line and both CI releases inside the range", () => {
    const lowest = releaseIn('LOWEST');
    const newest = releaseIn('NEWEST');
    expect(semver.major(lowest)).toBe(floor.major);
    expect(semver.satisfies(lowest, pkg.engines.node)).toBe(true);
    expect(semver.satisfies(newest, pkg.engines.node)).toBe(true);
    expect(semver.gt(newest, lowest)).toBe(true);
  });

  it('is met by the Node running this suite', () => {
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });
});
