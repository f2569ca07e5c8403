// The stall check (`BENCH_ONLY=stall npm run bench`): on a catalogue of a million items, does a burst of the most
// expensive list requests the spec allows hold up everyone else? Two steps:
//
// 1. Find the worst case. Every listItems combination (store, tag, price range, each kind of `q`, each sort, with
//    and without a cursor) is sent a few times with one connection; the slowest by median latency is the worst
//    case. The `q` values include the adversarial ones for a trigram index: `item 0999` and `item 09999`, whose
//    trigrams are each in (nearly) every name but which, as phrases, match only 1,000 and 100 names, at the end
//    of the table: the index has to intersect long lists of rows to find them.
// 2. Measure an unrelated `getStore` (one connection, one request after another) alone, then while 8 connections
//    send the worst case, in alternating rounds; its p99 must stay under 50 ms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CursorCodec } from '../../src/http/cursor.js';
import { listItemsScope } from '../../src/items/list-query.js';
import { type Measurement, measure } from './load.js';
import type { Scenario } from './scenarios.js';
import type { Server } from './servers.js';

export const stallTargetMs = 50;
const concurrency = 8;

export interface StallResult {
  items: number;
  /** The slowest combinations of the search, slowest first: median and max ms of a few requests each. */
  slowest: { path: string; medianMs: number; maxMs: number }[];
  combinations: number;
  worst: { path: string; rounds: Measurement[] };
  getStore: { alone: Measurement[]; underLoad: Measurement[] };
  seconds: number;
  load: number[];
}

/** The ids the requests need, read from the seeded file. */
export function idsOf(file: string): { storeIds: string[]; tagIds: string[]; items: number } {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const column = (query: string) => (sqlite.prepare(query).pluck().all() as string[]).slice();
    return {
      storeIds: column('select id from stores order by name limit 100'),
      // The tags with the most items: the common case that is read in the sort order's index.
      tagIds: column('select tag_id from item_tags group by tag_id order by count(*) desc, tag_id limit 10'),
      items: sqlite.prepare('select count(*) from items').pluck().get() as number,
    };
  } finally {
    sqlite.close();
  }
}

const sorts = ['name', '-name', 'price', '-price', 'createdAt', '-createdAt'] as const;

/**
 * Every combination listItems allows, as paths: the filters alone and together, the kinds of `q` (none, shorter
 * than a trigram, matching nearly every name, matching none, and the two adversarial phrases), each sort, and
 * each without a cursor and with one nine tenths of the way through the sort order.
 */
export function combinations(
  ids: { storeIds: string[]; tagIds: string[]; items: number },
  cursorSecret: string,
): string[] {
  const cursors = new CursorCodec({ cursorSecret });
  const deep = Math.floor(ids.items * 0.9);
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  // Where a client that paged far would be, in each sort order (seed.ts: names `item 0000123`, prices from 1.00 to
  // 999.99, one item a second from 2026-01-01).
  const deepValue = {
    name: `item ${String(deep).padStart(7, '0')}`,
    price: 90_000,
    createdAt: new Date(start + deep * 1000).toISOString(),
  };
  const store = [undefined, ids.storeIds[0]];
  const tag = [undefined, ids.tagIds[0]];
  const price: ([number, number] | undefined)[] = [undefined, [100, 400], [1, 1.5]];
  const q = [undefined, 'it', 'item', 'zzz', 'item 0999', 'item 09999'];
  const paths: string[] = [];
  for (const storeId of store)
    for (const tagId of tag)
      for (const range of price)
        for (const text of q)
          for (const sort of sorts)
            for (const withCursor of [false, true]) {
              const query = {
                storeId,
                tagId,
                minPrice: range?.[0],
                maxPrice: range?.[1],
                q: text,
                sort,
              };
              const field = sort.replace('-', '') as keyof typeof deepValue;
              const cursor = withCursor
                ? cursors.encode(listItemsScope(query as Parameters<typeof listItemsScope>[0]), {
                    value: deepValue[field],
                    id: '',
                  })
                : undefined;
              const params = new URLSearchParams();
              for (const [key, value] of Object.entries({ ...query, limit: 20, cursor }))
                if (value !== undefined) params.set(key, String(value));
              paths.push(`/items?${params}`);
            }
  return paths;
}

async function timed(origin: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${origin}${path}`);
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path}: expected 200, got ${response.status}`);
  return ms;
}

/** Each combination a few times with one connection; the slowest first. */
async function search(server: Server, paths: string[], tries: number): Promise<StallResult['slowest']> {
  const origin = `http://127.0.0.1:${server.port}`;
  const results: StallResult['slowest'] = [];
  for (const path of paths) {
    const ms: number[] = [];
    for (let i = 0; i < tries; i++) ms.push(await timed(origin, path));
    ms.sort((a, b) => a - b);
    results.push({ path, medianMs: ms[Math.floor(ms.length / 2)] as number, maxMs: ms.at(-1) as number });
  }
  // The few slowest are tried again, more often, so that one unlucky moment on a busy machine does not pick them.
  results.sort((a, b) => b.medianMs - a.medianMs);
  const finalists = results.slice(0, 10);
  for (const finalist of finalists) {
    const ms: number[] = [];
    for (let i = 0; i < tries * 5; i++) ms.push(await timed(origin, finalist.path));
    ms.sort((a, b) => a - b);
    finalist.medianMs = ms[Math.floor(ms.length / 2)] as number;
    finalist.maxMs = ms.at(-1) as number;
  }
  return finalists.sort((a, b) => b.medianMs - a.medianMs);
}

export async function stall(options: {
  server: Server;
  file: string;
  cursorSecret: string;
  log: (line: string) => void;
  seconds: number;
  rounds: number;
  tries: number;
}): Promise<StallResult> {
  const { server, log } = options;
  const ids = idsOf(options.file);
  const paths = combinations(ids, options.cursorSecret);
  log(`stall: timing ${paths.length} listItems combinations, ${options.tries} requests each`);
  const slowest = await search(server, paths, options.tries);
  for (const s of slowest) log(`stall: ${s.medianMs.toFixed(2)} ms median, ${s.maxMs.toFixed(2)} max: ${s.path}`);
  const worstPath = (slowest[0] as StallResult['slowest'][0]).path;
  let n = 0;
  const getStore: Scenario = {
    name: 'getStore',
    status: 200,
    next: () => ({ method: 'GET', path: `/stores/${ids.storeIds[n++ % ids.storeIds.length]}` }),
  };
  const worst: Scenario = { name: 'worst case', status: 200, next: () => ({ method: 'GET', path: worstPath }) };
  const settings = { seconds: options.seconds, connections: 1 };
  const result: StallResult = {
    items: ids.items,
    slowest,
    combinations: paths.length,
    worst: { path: worstPath, rounds: [] },
    getStore: { alone: [], underLoad: [] },
    seconds: options.seconds,
    load: [],
  };
  await measure(server, getStore, { seconds: 1, connections: 1 });
  for (let round = 1; round <= options.rounds; round++) {
    const alone = await measure(server, getStore, settings);
    result.getStore.alone.push(alone);
    const [loaded, load] = await Promise.all([
      measure(server, getStore, settings),
      measure(server, worst, { seconds: options.seconds, connections: concurrency }),
    ]);
    result.getStore.underLoad.push(loaded);
    result.worst.rounds.push(load);
    log(
      `stall round ${round}: getStore alone p50 ${alone.p50Ms.toFixed(2)} p99 ${alone.p99Ms.toFixed(2)} ms; ` +
        `beside ${concurrency} × worst case p50 ${loaded.p50Ms.toFixed(2)} p99 ${loaded.p99Ms.toFixed(2)} ms; ` +
        `worst case ${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.p50Ms.toFixed(1)} ms, ` +
        `${load.cpuUsPerRequest?.toFixed(0) ?? 'n/a'} µs CPU/request`,
    );
  }
  result.load = loadavg();
  return result;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export function stallMarkdown(result: StallResult): string {
  const m = (runs: Measurement[], key: 'p50Ms' | 'p99Ms') => median(runs.map((r) => r[key])).toFixed(2);
  const worst = result.worst.rounds;
  const p99 = median(result.getStore.underLoad.map((r) => r.p99Ms));
  return [
    `Stall check on ${result.items.toLocaleString('en')} items, ${result.getStore.alone.length} rounds of ${result.seconds} s (load average ${result.load.map((l) => l.toFixed(1)).join(', ')} at the end).`,
    '',
    `The slowest of ${result.combinations} listItems combinations (median of repeated single requests, ms):`,
    '',
    '| request | median ms | max ms |',
    '|---|---|---|',
    ...result.slowest.map(
      (s) =>
        `| \`${s.path.replace(/cursor=[^&]+/, 'cursor=…').replace(/=[0-9a-f-]{36}/g, '=…')}\` | ${s.medianMs.toFixed(2)} | ${s.maxMs.toFixed(2)} |`,
    ),
    '',
    '| | p50 ms | p99 ms |',
    '|---|---|---|',
    `| getStore alone, one connection | ${m(result.getStore.alone, 'p50Ms')} | ${m(result.getStore.alone, 'p99Ms')} |`,
    `| getStore beside ${concurrency} connections of the worst case | ${m(result.getStore.underLoad, 'p50Ms')} | ${m(result.getStore.underLoad, 'p99Ms')} |`,
    `| the worst case itself, ${concurrency} connections (${median(worst.map((r) => r.requestsPerSecond)).toFixed(0)} req/s, ${median(worst.map((r) => r.cpuUsPerRequest ?? Number.NaN)).toFixed(0)} µs CPU a request) | ${m(worst, 'p50Ms')} | ${m(worst, 'p99Ms')} |`,
    '',
    `getStore's p99 beside the worst case: ${p99.toFixed(2)} ms (target < ${stallTargetMs} ms): ${p99 < stallTargetMs ? 'met' : 'not met'}.`,
  ].join('\n');
}

/** Writes stall.md and stall.json to the results folder. */
export function writeStallReport(folder: string, result: StallResult): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'stall.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(folder, 'stall.md'), `${stallMarkdown(result)}\n`);
}
