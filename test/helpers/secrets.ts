// Collects every secret a test app sees go by (passwords sent, tokens sent and received), so that close() can
// prove that none of them reached a log line: the whole suite is the test of log redaction.

const secretFields = new Set(['password', 'accessToken', 'refreshToken']);

export class Secrets {
  readonly #seen = new Set<string>();

  /** Notes every password and token in a JSON value (a request or response body), down to 20 levels deep. */
  noteIn(value: unknown, depth = 0): void {
    if (depth > 20) return;
    if (Array.isArray(value)) for (const v of value) this.noteIn(v, depth + 1);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        if (secretFields.has(key) && typeof v === 'string') this.note(v);
        else this.noteIn(v, depth + 1);
      }
    }
  }

  /** Notes a bearer token from an Authorization header. */
  noteAuthorization(header: unknown): void {
    if (typeof header === 'string') this.note(header.replace(/^Bearer\s+/i, ''));
  }

  /**
   * Only values a log line could not hold by chance count: generated requests send passwords like "        "
   * or "aaaaaaaa", which say nothing about redaction.
   */
  note(secret: string): void {
    if (secret.length >= 8 && new Set(secret).size >= 5) this.#seen.add(secret);
  }

  /** The secrets that appear in the text. */
  foundIn(text: string): string[] {
    return [...this.#seen].filter(
      (secret) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)),
    );
  }

  get size(): number {
    return this.#seen.size;
  }
}
