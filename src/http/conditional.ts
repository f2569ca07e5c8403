import { hash } from 'node:crypto';

/**
 * A strong ETag of a representation as sent: any change to the bytes changes it. One-shot `hash` rather than a
 * Hash object: the same SHA-256, without building a stream per response.
 */
export function etagOf(serialized: string): string {
  return `"${hash('sha256', serialized, 'base64url').slice(0, 27)}"`;
}

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
