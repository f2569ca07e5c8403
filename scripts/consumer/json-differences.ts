import { isDeepStrictEqual } from 'node:util';

/** Where two JSON values differ, as JSON Pointers with both sides ("/a/0/b: 1 ≠ 2"); empty when they are equal. */
export function jsonDifferences(actual: unknown, expected: unknown, pointer = ''): string[] {
  if (isDeepStrictEqual(actual, expected)) return [];
  const containers = [actual, expected].every((v) => v !== null && typeof v === 'object');
  if (!containers || Array.isArray(actual) !== Array.isArray(expected)) {
    return [`${pointer || '/'}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(e)])];
  return keys.flatMap((key) => {
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!(key in a)) return [`${at}: missing (served: ${JSON.stringify(e[key])})`];
    if (!(key in e)) return [`${at}: not served (loaded: ${JSON.stringify(a[key])})`];
    return jsonDifferences(a[key], e[key], at);
  });
}
