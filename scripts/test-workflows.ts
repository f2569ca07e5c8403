// npm run test:workflows: the README's walkthroughs as Arazzo 1.0 workflows (test/workflows/*.arazzo.yaml), linted
// by Redocly CLI and run by its `respect` against a live server, which must pass every step and every check
// respect makes of each response against openapi.yaml, and log no contract breach itself. Then the same
// workflows against the mock server (`npm run mock`), which answers the spec's shapes but keeps nothing: every
// workflow must fail there, so a run that cannot fail would be caught.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../test/helpers/server-process.js';
import { root, runCommand, serverErrors, timed } from './consumer/tools.js';

const redocly = join(root, 'node_modules/.bin/redocly');
// No usage telemetry and no update check: both would call Redocly's servers from every run, CI included.
const env = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
const folder = join(root, 'test/workflows');
const files = (await readdir(folder)).filter((name) => name.endsWith('.arazzo.yaml')).map((name) => join(folder, name));
const scratch = await mkdtemp(join(tmpdir(), 'stores-api-workflows-'));
const failures: string[] = [];

interface Outcome {
  passed: number;
  failed: number;
  code: number;
}

/** Runs every workflow file against `base`; counts workflows passed and failed from respect's JSON report. */
async function respect(base: string, label: string): Promise<Outcome> {
  const report = join(scratch, `${label}.json`);
  const run = randomBytes(6).toString('hex');
  const code = await runCommand(
    redocly,
    [
      'respect',
      ...files,
      '--server',
      `storesApi=${base}`,
      '--input',
      `run=${run}`,
      '--input',
      'password=correct horse battery staple',
      '--json-output',
      report,
    ],
    { env, quiet: label !== 'api', timeout: 300 },
  );
  const json = JSON.parse(await readFile(report, 'utf8')) as {
    files: Record<string, { executedWorkflows: { workflowId: string; status: string }[] }>;
  };
  const workflows = Object.values(json.files).flatMap((file) => file.executedWorkflows);
  for (const w of workflows) console.log(`  ${label}: ${w.workflowId} ${w.status}`);
  return {
    passed: workflows.filter((w) => w.status === 'success').length,
    failed: workflows.filter((w) => w.status !== 'success').length,
    code,
  };
}

try {
  await timed('redocly lint (Arazzo)', async () => {
    const code = await runCommand(redocly, ['lint', ...files, '--max-problems=50'], { env });
    if (code !== 0) failures.push(`redocly lint exited with ${code}`);
  });

  await timed('respect against the API', async () => {
    const server = await startServer({ SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn' });
    try {
      const outcome = await respect(server.base, 'api');
      if (outcome.code !== 0 || outcome.failed > 0 || outcome.passed === 0) {
        failures.push(`respect against the API: ${outcome.failed} of ${outcome.passed + outcome.failed} failed`);
      }
    } finally {
      await server.stop();
    }
    const breaches = serverErrors(server.output());
    if (breaches.length > 0) failures.push(`the server logged ${breaches.length} errors:\n${breaches.join('\n')}`);
  });

  await timed('respect against the mock, which must fail every workflow', async () => {
    const mock = await startServer({ LOG_LEVEL: 'warn' }, 'src/mock/server.ts');
    try {
      const outcome = await respect(mock.base, 'mock');
      if (outcome.code === 0 || outcome.passed > 0) {
        failures.push(`respect against the mock passed ${outcome.passed} workflows: they cannot tell a real API`);
      }
    } finally {
      await mock.stop();
    }
  });
} finally {
  await rm(scratch, { recursive: true, force: true });
}

for (const failure of failures) console.error(`FAILED: ${failure}`);
console.log(`workflows: ${failures.length === 0 ? 'ok' : 'FAILED'}`);
process.exitCode = failures.length === 0 ? 0 : 1;
