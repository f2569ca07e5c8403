import { createHash } from 'node:crypto';

/** A strong ETag of a representation as sent: any change to the bytes changes it. */
export function etagOf(serialized: string): string {
  return `"${createHash('sha256').update(serialized).digest('base64url').slice(0, 27)}"`;
}

function tagsIn(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/**
 * `If-None-Match` (RFC 9110 §13.1.2): weak comparison, so `W/"x"` matches `"x"`; `*` matches anything. The tag
 * of a compressed copy (`"x-gzip"`) names the same representation, so it matches too.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const plain = (tag: string) => tag.replace(/^W\//, '').replace(/-(?:br|gzip|deflate)"$/, '"');
  return !tagsIn(header).some((tag) => tag === '*' || plain(tag) === etag);
}

/** `If-Match` (RFC 9110 §13.1.1): strong comparison, so a weak tag never matches; `*` matches any current one. */
export function matches(header: string, etag: string): boolean {
  return tagsIn(header).some((tag) => tag === '*' || tag === etag);
}
