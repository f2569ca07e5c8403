import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Where a page starts: the sort value and id of the last row of the previous page. */
export interface Position {
  value: string | number;
  id: string;
}

export type Decoded = { ok: true; position: Position } | { ok: false; reason: string };

/**
 * Opaque, signed pagination cursors. A cursor carries the last row's sort key and a fingerprint of the filters and
 * sort it was issued for, and an HMAC so that a client can neither forge one nor reuse one with other filters.
 * Clients see only a URL-safe token; its layout is not part of the contract.
 */
export class CursorCodec {
  /** Signed with `cursorSecret`, read when a cursor is made or checked (the server may load it after start-up). */
  constructor(private readonly keys: { readonly cursorSecret: string }) {}

  encode(scope: unknown, position: Position): string {
    const payload = Buffer.from(JSON.stringify([fingerprint(scope), position.value, position.id])).toString(
      'base64url',
    );
    return `${payload}.${this.sign(payload)}`;
  }

  decode(scope: unknown, token: string): Decoded {
    const [payload = '', signature = '', extra] = token.split('.');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'The cursor is not one this API issued. Start again without it.' };
    }
    // Signed by us means issued by us, unless the secret leaked or changed: read the payload as untrusted anyway.
    const decoded = parsePayload(payload);
    if (decoded === undefined) {
      return { ok: false, reason: 'The cursor is not one this API issued. Start again without it.' };
    }
    const [print, value, id] = decoded;
    if (print !== fingerprint(scope)) {
      return {
        ok: false,
        reason: 'The cursor was issued for other filters or another sort. Keep them unchanged while paging.',
      };
    }
    if ((typeof value !== 'string' && typeof value !== 'number') || typeof id !== 'string') {
      return { ok: false, reason: 'The cursor is not one this API issued. Start again without it.' };
    }
    return { ok: true, position: { value, id } };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.keys.cursorSecret).update(payload).digest('base64url').slice(0, 22);
  }
}

function parsePayload(payload: string): [unknown, unknown, unknown] | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return Array.isArray(parsed) && parsed.length === 3 ? [parsed[0], parsed[1], parsed[2]] : undefined;
  } catch {
    return undefined;
  }
}

function fingerprint(scope: unknown): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 12);
}
