// npm run test:clients: the seed scenario (register, sign in, a store, an item at 15.99, the catalogue with
// include=items, a merge-patch clearing the description, deletes, sign out) driven against a live server by the
// HTTP clients people actually use: Node's fetch, curl, Python's requests and httpx, Go's net/http and Java's
// HttpClient (test/clients/<client>/). Each runs twice: with its own default headers, and with
// `Accept: application/json` on every request. The server checks every answer against the spec (strict) and
// must log no breach. Then PyYAML, a YAML 1.1 loader as SDK generators use, must read openapi.yaml as the same
// document the server serves at /openapi.json.
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '../test/helpers/server-process.js';
import { jsonDifferences } from './consumer/json-differences.js';
import { mustRun, root, runCommand, serverErrors, timed, tool } from './consumer/tools.js';

const modes = { default: 'default headers', 'accept-json': 'Accept: application/json' } as const;
type Mode = keyof typeof modes;

const folder = await mkdtemp(join(tmpdir(), 'stores-api-clients-'));
const goScenario = join(folder, 'go-scenario');
const python = tool('python3');
const clients: { name: string; command(mode: Mode, run: string, password: string): [string, string[]] }[] = [
  {
    name: 'fetch',
    command: (...args) => [join(root, 'node_modules/.bin/tsx'), [clientFile('fetch/scenario.ts'), base(), ...args]],
  },
  { name: 'curl', command: (...args) => ['bash', [clientFile('curl/scenario.sh'), base(), ...args]] },
  ...['requests', 'httpx'].map((name) => ({
    name,
    command: (...args: [Mode, string, string]): [string, string[]] => [
      python,
      [clientFile('python/scenario.py'), name, base(), ...args],
    ],
  })),
  { name: 'go', command: (...args) => [goScenario, [base(), ...args]] },
  { name: 'java', command: (...args) => ['java', [clientFile('java/Scenario.java'), base(), ...args]] },
];

const server = await startServer({ SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn' });
const results: string[] = [];
let failures = 0;
try {
  const goBuilt = await timed('Go: go vet, go build (standard library only, offline)', async () => {
    // GOPROXY=off: the scenario needs nothing from the network; GOTOOLCHAIN=local: nor another Go.
    const env = { GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '' };
    const cwd = clientFile('go');
    try {
      await mustRun('go', ['vet', './...'], { cwd, env });
      await mustRun('go', ['build', '-o', goScenario, '.'], { cwd, env });
      return true;
    } catch (error) {
      console.error((error as Error).message);
      record('go, build', false);
      return false;
    }
  });

  await timed('the scenario with each client, twice', async () => {
    for (const client of clients) {
      if (client.name === 'go' && !goBuilt) continue;
      for (const mode of Object.keys(modes) as Mode[]) {
        // A new account each run; registerUser allows 20 a minute per client, and this makes 12.
        const run = `${client.name}-${mode}-${Date.now().toString(36)}`;
        const [command, args] = client.command(mode, run, passphrase());
        const code = await runCommand(command, args, { timeout: 120 }).catch((error: Error) => {
          console.error(error.message);
          return 1;
        });
        record(`${client.name}, ${modes[mode]}`, code === 0);
      }
    }
  });

  await timed('PyYAML reads openapi.yaml as the document served at /openapi.json', async () => {
    const served: unknown = await (await fetch(`${server.base}/openapi.json`)).json();
    const { stdout } = await promisify(execFile)(
      python,
      [join(root, 'scripts/consumer/yaml_as_json.py'), join(root, 'openapi.yaml')],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const differences = jsonDifferences(JSON.parse(stdout), served);
    if (differences.length > 0) console.error(`${differences.length} differences; the first ones:`);
    for (const difference of differences.slice(0, 10)) console.error(`  ${difference}`);
    record('PyYAML, openapi.yaml = /openapi.json', differences.length === 0);
  });
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  record('stopped early', false);
} finally {
  await server.stop();
  const breaches = serverErrors(server.output());
  if (breaches.length > 0) {
    console.error(`\nThe server logged ${breaches.length} errors or contract breaches:\n${breaches.join('\n')}`);
  }
  record('server: every answer within the spec, no error logged', breaches.length === 0);
  await rm(folder, { recursive: true, force: true });
}
console.log(`\n${results.join('\n')}`);
console.log(`\nclients: ${results.length - failures} passed, ${failures} failed`);
process.exit(failures > 0 ? 1 : 0);

function base(): string {
  return server.base;
}

function clientFile(path: string): string {
  return join(root, 'test/clients', path);
}

function record(label: string, ok: boolean): void {
  if (!ok) failures++;
  results.push(`${label}: ${ok ? 'passed' : 'FAILED'}`);
  console.log(results.at(-1));
}

/** Four random words, as a person following NIST SP 800-63B would pick a password. */
function passphrase(): string {
  const words = [
    ...['amber', 'basalt', 'canyon', 'dapple', 'ember', 'fjord', 'granite', 'harbor', 'indigo', 'juniper'],
    ...['kestrel', 'lantern', 'meadow', 'nutmeg', 'orchid', 'pebble', 'quartz', 'rowan', 'saffron', 'thistle'],
    ...['umber', 'velvet', 'willow', 'yarrow', 'zephyr', 'bramble', 'cobalt', 'drift', 'falcon', 'glacier'],
  ];
  return Array.from({ length: 4 }, () => words[randomInt(words.length)]).join(' ');
}
