// The fixture spec of the deprecation tests: the real openapi.yaml with getStore deprecated (2026-06-01, sunset
// 2027-06-01) and listItems' `q` parameter deprecated (2026-07-01, no sunset).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document, edited freely.
export type Json = Record<string, any>;

export const real = (): Json => parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));

/** The real spec with getStore and listItems' `q` deprecated; `declare` adds the headers to their responses. */
export function deprecatedFixture(declare: boolean): Json {
  const doc = real();
  Object.assign(doc.paths['/stores/{storeId}'].get, {
    deprecated: true,
    'x-deprecated-at': '2026-06-01',
    'x-sunset': '2027-06-01',
  });
  Object.assign(doc.components.parameters.ItemNameQuery, { deprecated: true, 'x-deprecated-at': '2026-07-01' });
  if (declare) {
    for (const operation of [doc.paths['/stores/{storeId}'].get, doc.paths['/items'].get]) {
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        const own = response.$ref
          ? structuredClone(doc.components.responses[response.$ref.split('/').pop()])
          : response;
        own.headers = {
          ...own.headers,
          Deprecation: { $ref: '#/components/headers/Deprecation' },
          Sunset: { $ref: '#/components/headers/Sunset' },
          Link: { $ref: '#/components/headers/DeprecationLink' },
        };
        operation.responses[status] = own;
      }
    }
  }
  return doc;
}
