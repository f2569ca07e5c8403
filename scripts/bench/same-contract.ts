// Before anything is measured, the benchmark asks each server once per scenario and compares the answers: the
// same-contract baseline must send what the API sends (status, every header, body), and the floor the same status
// and body. A comparison of servers that answer differently would measure the difference, not the code.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { etagOf } from '../../src/http/conditional.js';
import type { Scenario } from './scenarios.js';
import type { Server } from './servers.js';

/** One answer, as the comparison sees it: lower-case header names, the body with the server's origin taken out. */
export interface Answer {
  status: number;
  headers: Map<string, string>;
  /** The body as sent. */
  raw: string;
  /** The body with the origin replaced by `ORIGIN` and, for a creation, the created item's own fields by their names. */
  body: string | undefined;
}

/**
 * Headers whose values are made per request (or per created item, or by the server's own port): compared by the
 * rule that makes them, each server's answer on its own, never against the other's value.
 */
const perRequest: Record<string, (value: string, answer: Answer) => boolean> = {
  date: (value) => /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value),
  'x-request-id': (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value),
  // The tag of the bytes sent (a list's `next` link holds the server's port, so the bytes differ by server).
  etag: (value, answer) => (answer.raw === '' ? /^"[\w-]{27}"$/.test(value) : value === etagOf(answer.raw)),
  'content-length': (value, answer) => Number(value) === Buffer.byteLength(answer.raw),
};

/**
 * Sends the request as the load generator does (node:http: no Accept-Encoding or other header of its own, unlike
 * fetch) and reads the answer as sent.
 */
export async function ask(server: Server, request: ReturnType<Scenario['next']>): Promise<Answer> {
  const origin = `http://127.0.0.1:${server.port}`;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const sent = httpRequest(`${origin}${request.path}`, { method: request.method, headers: request.headers ?? {} });
    sent.once('response', resolve).once('error', reject);
    sent.end(request.body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString();
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(response.headers)) {
    headers.set(name.toLowerCase(), String(value).replaceAll(origin, 'ORIGIN'));
  }
  let body: string | undefined;
  if (raw !== '') {
    const parsed = JSON.parse(raw.replaceAll(origin, 'ORIGIN')) as Record<string, unknown>;
    // A created item differs in its id, store, name and times; its shape and the rest must not.
    if (request.method === 'POST' && typeof parsed.id === 'string') {
      const location = headers.get('location');
      if (location) headers.set('location', location.replace(parsed.id, 'ID'));
      for (const key of ['id', 'storeId', 'name', 'createdAt', 'updatedAt']) parsed[key] = key;
    }
    body = JSON.stringify(parsed);
  }
  return { status: response.statusCode ?? 0, headers, raw, body };
}

/**
 * The differences between the API's answer and another server's: none means the same contract. With
 * `headers: false` (the floor) only the status and body count.
 */
export function differences(api: Answer, other: Answer, options: { headers: boolean }): string[] {
  const found: string[] = [];
  if (api.status !== other.status) found.push(`status ${api.status} ≠ ${other.status}`);
  if (api.body !== other.body) found.push(`body ${api.body?.slice(0, 400)} ≠ ${other.body?.slice(0, 400)}`);
  if (!options.headers) return found;
  for (const name of new Set([...api.headers.keys(), ...other.headers.keys()])) {
    const a = api.headers.get(name);
    const b = other.headers.get(name);
    if (a === undefined || b === undefined) {
      found.push(`${name} only from ${a === undefined ? 'the other' : 'the API'}: ${a ?? b}`);
      continue;
    }
    const rule = perRequest[name];
    if (rule) {
      if (!rule(a, api)) found.push(`${name} from the API breaks its rule: ${a}`);
      if (!rule(b, other)) found.push(`${name} from the other breaks its rule: ${b}`);
    } else if (a !== b) found.push(`${name}: ${a} ≠ ${b}`);
  }
  return found;
}

/**
 * Asks each server once per scenario (a read the very same request, a creation one of its own) and throws, naming
 * every difference, unless the baseline answers exactly as the API does and the floor with the same status and body.
 */
export async function checkSameContract(
  servers: { api: Server; baseline: Server; floor: Server },
  list: Scenario[],
): Promise<void> {
  const problems: string[] = [];
  for (const scenario of list) {
    const first = scenario.next();
    const requestFor = (i: number) => (i === 0 || first.method === 'GET' ? first : scenario.next());
    const [api, baseline, floor] = await Promise.all(
      [servers.api, servers.baseline, servers.floor].map((server, i) => ask(server, requestFor(i))),
    );
    if (!api || !baseline || !floor) throw new Error('no answer');
    if (api.status !== scenario.status) problems.push(`${scenario.name}: the API answers ${api.status}`);
    for (const d of differences(api, baseline, { headers: true })) problems.push(`${scenario.name}, baseline: ${d}`);
    for (const d of differences(api, floor, { headers: false })) problems.push(`${scenario.name}, floor: ${d}`);
  }
  if (problems.length > 0) {
    throw new Error(`The servers do not answer alike, so nothing is measured:\n${problems.join('\n')}`);
  }
}
