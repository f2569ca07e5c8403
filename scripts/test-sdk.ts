// npm run test:sdk: generates a Python client (openapi-python-client) and a Go client (oapi-codegen) from the
// /openapi.json of a live server, in a temporary folder, checks that our schemas became typed models, builds both,
// and runs the same scenario in each against that server (test/sdk/python/scenario.py, test/sdk/go/scenario.go).
// Generated code is never kept; KEEP_SDK=1 leaves the folder in place to look at.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../test/helpers/server-process.js';
import { goModelProblems, pythonModelProblems } from './consumer/generated-models.js';
import { mustRun, root, serverErrors, timed, tool } from './consumer/tools.js';

const folder = await mkdtemp(join(tmpdir(), 'stores-api-sdk-'));
const server = await startServer({ SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn' });
const passed: string[] = [];
let failed = false;
try {
  const spec = join(folder, 'openapi.json');
  await writeFile(spec, await (await fetch(`${server.base}/openapi.json`)).text());

  await timed('Python: openapi-python-client, mypy --strict, scenario', async () => {
    const client = join(folder, 'python', 'client');
    const venv = join(folder, 'python', 'venv');
    await mustRun(tool('openapi-python-client'), [
      'generate',
      ...['--path', spec, '--meta', 'setup', '--output-path', client, '--fail-on-warning'],
    ]);
    assertTyped(pythonModelProblems(join(client, 'stores_api_client', 'models')));
    // Installed as a consumer would, into a venv of its own, with the dependencies it declares.
    await mustRun(tool('python3'), ['-m', 'venv', venv]);
    await mustRun(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', client]);
    const scenario = join(root, 'test/sdk/python/scenario.py');
    await mustRun(tool('mypy'), [
      ...['--strict', '--python-executable', join(venv, 'bin', 'python')],
      ...['--cache-dir', join(folder, 'python', 'mypy-cache'), scenario],
    ]);
    await mustRun(join(venv, 'bin', 'python'), [scenario, server.base]);
    passed.push('Python');
  });

  await timed('Go: oapi-codegen, go vet, go build, scenario', async () => {
    const module = join(folder, 'go');
    await mkdir(module);
    for (const file of ['go.mod', 'go.sum', 'oapi-codegen.yaml', 'scenario.go']) {
      await cp(join(root, 'test/sdk/go', file), join(module, file));
    }
    await mustRun(tool('oapi-codegen'), ['-config', 'oapi-codegen.yaml', spec], { cwd: module });
    assertTyped(goModelProblems(join(module, 'storesapi', 'client.gen.go')));
    await mustRun('go', ['vet', './...'], { cwd: module });
    await mustRun('go', ['build', '-o', 'scenario', '.'], { cwd: module });
    await mustRun(join(module, 'scenario'), [server.base], { cwd: module });
    passed.push('Go');
  });
} catch (error) {
  failed = true;
  console.error(`\n${(error as Error).message}`);
} finally {
  await server.stop();
  const breaches = serverErrors(server.output());
  if (breaches.length > 0) {
    failed = true;
    console.error(`\nThe server logged ${breaches.length} errors or contract breaches:\n${breaches.join('\n')}`);
  }
  if (process.env.KEEP_SDK === '1') console.log(`\ngenerated code kept in ${folder}`);
  else await rm(folder, { recursive: true, force: true });
}
console.log(`\nSDK scenarios passed: ${passed.join(', ') || 'none'}${failed ? ' (FAILED)' : ''}`);
process.exit(failed ? 1 : 0);

function assertTyped(problems: string[]): void {
  if (problems.length > 0) throw new Error(`The generator degraded our schemas:\n${problems.join('\n')}`);
}
