/**
 * Whether an `Accept` header leaves room for one of the media types an operation answers with: absent, a range
 * such as `*\/*` or `application/*`, or one of them by name, without `q=0`.
 */
export function accepts(header: string | undefined, mediaTypes: readonly string[]): boolean {
  // The common headers (none, `*/*`, exactly one of the types) answer without parsing.
  if (header === undefined || header === '*/*' || mediaTypes.includes(header) || header.trim() === '') return true;
  return header.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0{0,3})?$/.test(p))) return false;
    return type === '*/*' || type === 'application/*' || mediaTypes.includes(type);
  });
}
