// npm run test:sdk: generates a Python client (openapi-python-client) and a Go client (oapi-codegen) from the
// /openapi.json of a live server, in a temporary folder, checks that our schemas became typed models, builds both,
// and runs the same scenario in each against that server (test/sdk/python/scenario.py, test/sdk/go/scenario.go).
// Then the same with openapi-generator, the most used generator, with its defaults: its `python` client
// (test/sdk/openapi-generator-python/scenario.py, mypy --strict) and its `typescript-fetch` client
// (test/sdk/typescript-fetch/scenario.ts, tsc --strict).
// Generated code is never kept; KEEP_SDK=1 leaves the folder in place to look at.
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../test/helpers/server-process.js';
import {
  goModelProblems,
  pydanticModelProblems,
  pythonModelProblems,
  typescriptFetchModelProblems,
} from './consumer/generated-models.js';
import { openapiGenerator } from './consumer/openapi-generator.js';
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

  await timed('openapi-generator python: generate, mypy --strict, scenario', async () => {
    const client = join(folder, 'openapi-generator-python', 'client');
    const venv = join(folder, 'openapi-generator-python', 'venv');
    // No options: the package is the default `openapi_client`, with pydantic v2 models.
    await openapiGenerator('python', spec, client);
    assertTyped(pydanticModelProblems(join(client, 'openapi_client', 'models')));
    // Installed as a consumer would, into a venv of its own, with the dependencies it declares.
    await mustRun(tool('python3'), ['-m', 'venv', venv]);
    await mustRun(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', client]);
    const scenario = join(root, 'test/sdk/openapi-generator-python/scenario.py');
    await mustRun(tool('mypy'), [
      ...['--strict', '--python-executable', join(venv, 'bin', 'python')],
      ...['--cache-dir', join(folder, 'openapi-generator-python', 'mypy-cache'), scenario],
    ]);
    await mustRun(join(venv, 'bin', 'python'), [scenario, server.base]);
    passed.push('openapi-generator python');
  });

  await timed('openapi-generator typescript-fetch: generate, tsc --strict, scenario', async () => {
    const project = join(folder, 'typescript-fetch');
    // No options: the client is TypeScript sources (apis/, models/, runtime.ts) for the scenario to import.
    await openapiGenerator('typescript-fetch', spec, join(project, 'client'));
    assertTyped(typescriptFetchModelProblems(join(project, 'client', 'models')));
    for (const file of ['scenario.ts', 'tsconfig.json']) {
      await cp(join(root, 'test/sdk/typescript-fetch', file), join(project, file));
    }
    // The project's TypeScript, @types/node and tsx, as a consumer's own node_modules would hold them.
    await symlink(join(root, 'node_modules'), join(project, 'node_modules'));
    await mustRun(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--strict', '--noEmit'], {
      cwd: project,
    });
    await mustRun(join(root, 'node_modules/.bin/tsx'), ['scenario.ts', server.base], { cwd: project });
    passed.push('openapi-generator typescript-fetch');
  });
} catch (error) {
  failed = true;
  console.error(`\n${(error as Error).message}`);
} finally {
  // Exit 0 is the server's graceful shutdown, so something sent it SIGTERM or SIGINT.
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    failed = true;
    const how = server.child.exitCode ?? server.child.signalCode;
    console.error(
      `\nThe server exited (${how}) before the scenarios ended; its output:\n${server.output().slice(-3000)}`,
    );
  }
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
