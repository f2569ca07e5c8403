/**
 * Whether an `Accept` header leaves room for one of the given media types (RFC 9110 §12.5.1): each type takes the
 * quality of the most specific range that matches it (`application/json` before `application/*` before `*\/*`),
 * and is acceptable when that quality is above 0. No header, or an empty one, accepts everything.
 */
export function accepts(header: string | undefined, mediaTypes: readonly string[]): boolean {
  // The common headers (none, `*/*`, exactly one of the types) answer without parsing.
  if (header === undefined || header === '*/*' || mediaTypes.includes(header) || header.trim() === '') return true;
  const ranges = header.split(',').map(parseRange);
  return mediaTypes.some((mediaType) => {
    const [type] = mediaType.split('/');
    let best: { specificity: number; quality: number } | undefined;
    for (const range of ranges) {
      const specificity = range.type === mediaType ? 3 : range.type === `${type}/*` ? 2 : range.type === '*/*' ? 1 : 0;
      if (specificity > 0 && (best === undefined || specificity > best.specificity))
        best = { specificity, quality: range.quality };
    }
    return best !== undefined && best.quality > 0;
  });
}

function parseRange(range: string): { type: string; quality: number } {
  const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
  const q = params.find((p) => p.startsWith('q='));
  const quality = q === undefined ? 1 : Number(q.slice(2));
  return { type, quality: Number.isFinite(quality) ? quality : 1 };
}
