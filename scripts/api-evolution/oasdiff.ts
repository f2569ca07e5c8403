// oasdiff (github.com/oasdiff/oasdiff, installed by `.ci/run` into .tools/bin) compares two OpenAPI documents.
// Both of its reports are read as JSON: `breaking` lists what breaks an existing client, `changelog` everything a
// client can notice. severity-levels.txt raises what a consumer's generated SDK cannot survive but oasdiff lets
// pass (removing an optional response field; removing an operation or parameter after deprecating it) and makes a
// sunset date optional on a deprecation, as our policy does (README, "Versioning").
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tool } from '../consumer/tools.js';

const run = promisify(execFile);
const severityLevels = new URL('./severity-levels.txt', import.meta.url).pathname;

/** One change oasdiff found; `level` 3 is an error, 2 a warning, 1 information. */
export interface Change {
  id: string;
  text: string;
  level: number;
  operation?: string;
  operationId?: string;
  path?: string;
  section?: string;
}

/** Both warnings and errors count as breaking: a warning (a request property removed) breaks a closed schema. */
export const isBreaking = (change: Change) => change.level >= 2;

async function report(command: 'breaking' | 'changelog', base: string, revision: string): Promise<Change[]> {
  const args = [command, base, revision, '--format', 'json', '--severity-levels', severityLevels];
  // No external $refs in our documents: none is followed, so a fixture cannot make oasdiff fetch anything.
  args.push('--allow-external-refs=false');
  try {
    const { stdout } = await run(tool('oasdiff'), args, { maxBuffer: 64 * 1024 * 1024 });
    return (JSON.parse(stdout.trim() || '[]') as Change[] | null) ?? [];
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: string | number };
    if (code === 'ENOENT') {
      throw new Error(
        'oasdiff is not installed: `GOBIN=$PWD/.tools/bin go install github.com/oasdiff/oasdiff@v1.37.0`',
      );
    }
    throw new Error(`oasdiff ${command} ${base} ${revision} failed: ${stderr ?? String(error)}`);
  }
}

/** What breaks a client of `base` if the API becomes `revision`. */
export const breakingChanges = (base: string, revision: string) => report('breaking', base, revision);

/** Every change a client of `base` can notice in `revision`, breaking or not. */
export const allChanges = (base: string, revision: string) => report('changelog', base, revision);
