import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specPath } from '../../src/http/openapi-spec.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// SDK generators read openapi.yaml with YAML 1.1 loaders (SnakeYAML, PyYAML), where an unquoted
// 2026-11-24T10:00:00Z is a timestamp, `yes` a boolean and 0755 an octal number; js-yaml reads YAML 1.2.
// The document must be the same in both, and the same as the JSON the server serves.
const source = readFileSync(specPath, 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('openapi.yaml', () => {
  it('is the same document to a YAML 1.1 loader, to js-yaml and at /openapi.json', async () => {
    const served = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).data;
    expect(load(source)).toEqual(served);
    expect(parse(source, { version: '1.1' })).toEqual(served);
  });

  it('holds no scalar that YAML 1.1 reads as anything but a string, number, boolean or null', () => {
    const odd: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value instanceof Date || value instanceof Uint8Array || value instanceof Set || value instanceof Map) {
        odd.push(`${path}: ${value.constructor.name}`);
      } else if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, `${path}/${i}`);
      } else if (value !== null && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) walk(v, `${path}/${key}`);
      }
    };
    walk(parse(source, { version: '1.1' }), '');
    expect(odd).toEqual([]);
  });

  it('names the members of every enum whose values generated clients would name alike (x-enum-varnames)', () => {
    // openapi-generator and its kin drop signs and case: `name` and `-name` both become `Name` (then `Name2`).
    const unnamed: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, `${path}/${i}`);
        return;
      }
      if (value === null || typeof value !== 'object') return;
      const node = value as Record<string, unknown>;
      if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'string')) {
        const words = (node.enum as string[]).map((v) => v.replace(/[^A-Za-z0-9]/g, '').toLowerCase());
        const names = node['x-enum-varnames'];
        if (new Set(words).size < words.length) {
          if (!Array.isArray(names) || names.length !== words.length || new Set(names).size !== names.length) {
            unnamed.push(path);
          }
        }
      }
      for (const [key, v] of Object.entries(node)) walk(v, `${path}/${key}`);
    };
    walk(load(source), '');
    expect(unnamed).toEqual([]);
  });
});
