import { describe, expect, it } from 'vitest';
import { type Answer, differences } from '../../scripts/bench/same-contract.js';
import { etagOf } from '../../src/http/conditional.js';

// The benchmark measures only servers that answer alike: these are the comparisons it refuses to measure past.
const body = '{"id":"a","name":"Store"}';
function answer(headers: Record<string, string>, raw = body, status = 200): Answer {
  return { status, headers: new Map(Object.entries(headers)), raw, body: raw === '' ? undefined : raw };
}
const contract = {
  date: 'Mon, 30 Nov 2026 02:11:58 GMT',
  'x-request-id': 'd49b8851-8d3e-44d1-99d8-2efe6051d0f2',
  'cache-control': 'public, no-cache',
  'x-frame-options': 'DENY',
  etag: etagOf(body),
  'content-length': String(Buffer.byteLength(body)),
};

describe("the bench's same-contract check", () => {
  it('finds nothing between answers that differ only in per-request values that keep their rule', () => {
    const other = {
      ...contract,
      date: 'Mon, 30 Nov 2026 02:12:03 GMT',
      'x-request-id': '5dd1feb9-6df8-4119-9dc3-07576dc6da8f',
    };
    expect(differences(answer(contract), answer(other), { headers: true })).toEqual([]);
  });

  it('names a header only one server sends, and a value that differs', () => {
    const { 'x-frame-options': _, ...withoutFrame } = contract;
    expect(differences(answer(contract), answer(withoutFrame), { headers: true })).toEqual([
      'x-frame-options only from the API: DENY',
    ]);
    const other = { ...contract, 'cache-control': 'no-store' };
    expect(differences(answer(contract), answer(other), { headers: true })).toEqual([
      'cache-control: public, no-cache ≠ no-store',
    ]);
  });

  it('holds each per-request value to its rule: an ETag that is not the tag of the bytes sent, a request id that is no UUID', () => {
    const other = { ...contract, etag: '"W/abc"', 'x-request-id': 'req-1' };
    expect(differences(answer(contract), answer(other), { headers: true })).toEqual([
      'x-request-id from the other breaks its rule: req-1',
      'etag from the other breaks its rule: "W/abc"',
    ]);
  });

  it('compares the status and body, and for the floor nothing else', () => {
    const other = answer({}, '{"id":"a","name":"Other"}', 201);
    expect(differences(answer(contract), other, { headers: false })).toHaveLength(2);
    expect(differences(answer(contract), answer({}), { headers: false })).toEqual([]);
  });
});
