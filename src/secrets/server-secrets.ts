import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { keptSecret } from './repository.js';

export interface ServerSecrets {
  /** Signs access tokens (HS256). */
  readonly jwtSecret: string;
  /** Signs pagination cursors. */
  readonly cursorSecret: string;
  /** Keys the hashes of idempotency fingerprints and of sign-in accounts: derived from the cursor secret. */
  readonly hashKey: Buffer;
  /** True when a secret could not be kept (a read-only database): it lasts as long as this process. */
  readonly ephemeral?: boolean;
}

/**
 * The secrets the API signs with. The environment's when it gives them (production always must); otherwise 32
 * random bytes made on first start and kept in the database, so restarts and every instance on the same
 * database agree, and no secret ever comes from the source code. A table rather than a file beside SQLite: it
 * works the same on PostgreSQL, where several instances share no disk.
 */
export async function serverSecrets(
  db: Db,
  config: Pick<Config, 'jwtSecret' | 'cursorSecret'>,
): Promise<ServerSecrets> {
  const now = new Date().toISOString();
  const fresh = () => randomBytes(32).toString('base64url');
  const jwt = config.jwtSecret === undefined ? await keptSecret(db, 'jwt', fresh(), now) : undefined;
  const cursor = config.cursorSecret === undefined ? await keptSecret(db, 'cursor', fresh(), now) : undefined;
  const jwtSecret = config.jwtSecret ?? jwt?.value ?? fresh();
  const cursorSecret = config.cursorSecret ?? cursor?.value ?? fresh();
  const hashKey = createHmac('sha256', cursorSecret).update('stores-api keyed hashes').digest();
  const ephemeral = jwt?.kept === false || cursor?.kept === false;
  return Object.freeze({ jwtSecret, cursorSecret, hashKey, ephemeral });
}

/**
 * The server's secrets, read once the database answers: a server starts listening before its database is up (it
 * waits for it), and until `load()` has run no operation is served, so nothing reads them early.
 */
export class KeptSecrets implements ServerSecrets {
  #loaded: ServerSecrets | undefined;

  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'jwtSecret' | 'cursorSecret'>,
  ) {}

  async load(): Promise<void> {
    this.#loaded ??= await serverSecrets(this.db, this.config);
  }

  get jwtSecret(): string {
    return this.#get().jwtSecret;
  }

  get cursorSecret(): string {
    return this.#get().cursorSecret;
  }

  get hashKey(): Buffer {
    return this.#get().hashKey;
  }

  get ephemeral(): boolean {
    return this.#get().ephemeral === true;
  }

  #get(): ServerSecrets {
    if (!this.#loaded) throw new Error('the server secrets are read before the database has answered');
    return this.#loaded;
  }
}

/** A keyed hash (HMAC-SHA-256, base64url): without the server's secret it cannot be recomputed or reversed. */
export function keyedHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
