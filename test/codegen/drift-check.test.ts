import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
let copy: string;

async function generate(...args: string[]) {
  return run(join(root, 'node_modules/.bin/tsx'), ['scripts/generate.ts', ...args], { cwd: copy }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
  );
}

// A copy of the project's spec, generator and generated files, so the check runs for real without touching ours.
beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'stores-api-drift-'));
  for (const entry of ['openapi.yaml', 'scripts', 'generated', 'package.json']) {
    await cp(join(root, entry), join(copy, entry), { recursive: true });
  }
  await symlink(join(root, 'node_modules'), join(copy, 'node_modules'));
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe('generate --check', () => {
  it('passes when generated/ matches openapi.yaml', async () => {
    expect(await generate('--check')).toMatchObject({ code: 0 });
  });

  it('fails when openapi.yaml changed without regenerating, and passes again once regenerated', async () => {
    const spec = await readFile(join(copy, 'openapi.yaml'), 'utf8');
    await writeFile(join(copy, 'openapi.yaml'), spec.replace('summary: Get a store', 'summary: Fetch a store'));
    const stale = await generate('--check');
    expect(stale.code).toBe(1);
    expect(stale.output).toContain('generated/openapi.ts is stale');
    expect((await generate()).code).toBe(0);
    expect(await generate('--check')).toMatchObject({ code: 0 });
    // Three runs of the generator: on a busy machine that is more than the default 20 s.
  }, 60_000);

  it('fails when a generated file was edited by hand', async () => {
    const file = join(copy, 'generated/operations.ts');
    await writeFile(file, `${await readFile(file, 'utf8')}// edited\n`);
    const stale = await generate('--check');
    expect(stale.code).toBe(1);
    expect(stale.output).toContain('generated/operations.ts is stale');
  });

  it('refuses a spec that breaks a binding rule', async () => {
    const spec = await readFile(join(copy, 'openapi.yaml'), 'utf8');
    const withoutNotFound = spec.replace(
      /(operationId: getTag[\s\S]*?)\n\s+["']404["']:\n\s+\$ref: ["']#\/components\/responses\/NotFound["']/,
      '$1',
    );
    expect(withoutNotFound).not.toBe(spec);
    await writeFile(join(copy, 'openapi.yaml'), withoutNotFound);
    const refused = await generate();
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('getTag must declare a 404 response');
  });
});
