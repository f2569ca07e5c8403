import { hash } from 'node:crypto';
import type { FastifyReply, onSendHookHandler } from 'fastify';
import { varyOn } from './vary.js';

// The ETag lives here, all of it: how it is made from the bytes sent, how a compressed copy is told apart, and how
// If-None-Match and If-Match compare a client's tag with it. Nothing else in the project builds or takes one apart.

/**
 * A strong ETag of a representation as sent: any change to the bytes changes it. One-shot `hash` rather than a
 * Hash object: the same SHA-256, without building a stream per response.
 */
export function etagOf(serialized: string): string {
  return `"${hash('sha256', serialized, 'base64url').slice(0, 27)}"`;
}

/**
 * Tags a reply with the ETag of its body and answers whether a cache's `If-None-Match` already holds it. A
 * validated representation may be sent compressed, so caches must key it by Accept-Encoding, 304s included.
 */
export function tagReply(reply: FastifyReply, serialized: string, ifNoneMatch: string | undefined): boolean {
  const etag = etagOf(serialized);
  varyOn(reply.header('etag', etag), 'Accept-Encoding');
  return !noneMatch(ifNoneMatch, etag);
}

/**
 * A validator must differ per content encoding (RFC 9110 §8.8.3): the compressed bytes get their own tag,
 * `"x-gzip"` for `"x"`. Compression runs as each route's own onSend hook, so this one goes after it.
 */
export const tagEncoding: onSendHookHandler = (_request, reply, payload, done) => {
  const encoding = reply.getHeader('content-encoding');
  const etag = reply.getHeader('etag');
  if (typeof encoding === 'string' && typeof etag === 'string' && !etag.endsWith(`-${encoding}"`)) {
    reply.header('etag', `${etag.slice(0, -1)}-${encoding}"`);
  }
  done(null, payload);
};

function tagsIn(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/**
 * The representation a tag names: the tag of a compressed copy (`"x-gzip"`) names the same one as `"x"`, so
 * both comparisons below accept either.
 */
function representationOf(tag: string): string {
  return tag.replace(/-(?:br|gzip|deflate)"$/, '"');
}

/** `If-None-Match` (RFC 9110 §13.1.2): weak comparison, so `W/"x"` matches `"x"`; `*` matches anything. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  return !tagsIn(header).some((tag) => tag === '*' || representationOf(tag.replace(/^W\//, '')) === etag);
}

/** `If-Match` (RFC 9110 §13.1.1): strong comparison, so a weak tag never matches; `*` matches any current one. */
export function matches(header: string, etag: string): boolean {
  return tagsIn(header).some((tag) => tag === '*' || (!tag.startsWith('W/') && representationOf(tag) === etag));
}

/** Whether `If-Match` names the representation serialized here, the one a GET would send now. */
export function matchesCurrent(ifMatch: string, serialized: string): boolean {
  return matches(ifMatch, etagOf(serialized));
}
