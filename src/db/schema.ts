// Table types as SQLite stores them. Row types stay inside the repositories; handlers see API shapes.
import type { Generated } from 'kysely';

export interface Database {
  stores: StoreTable;
  items: ItemTable;
  tags: TagTable;
  item_tags: ItemTagTable;
  users: UserTable;
  refresh_tokens: RefreshTokenTable;
  revoked_access_tokens: RevokedAccessTokenTable;
  idempotency_keys: IdempotencyKeyTable;
  server_secrets: ServerSecretTable;
  sign_in_failures: SignInFailureTable;
  rate_limit_windows: RateLimitWindowTable;
}

export interface RateLimitWindowTable {
  /** The limit and the client it counts: `createToken|192.0.2.1`. */
  key: string;
  /** Requests counted in the current window, the one that went over the limit included. */
  hits: number;
  /** Epoch ms, by the database's clock, when the current window ends and the count starts again. */
  window_ends_ms: number;
}

export interface ServerSecretTable {
  /** `jwt` or `cursor`. */
  name: string;
  value: string;
  created_at: string;
}

export interface SignInFailureTable {
  /** HMAC of the lower-case e-mail address: the address itself is not kept, known account or not. */
  account: string;
  /** Attempts not (yet) followed by a success; an attempt counts as failed until its password is found right. */
  failures: number;
  /** The wait imposed after the last failure, in ms: 0 up to the free failures, then doubling. */
  delay_ms: number;
  /** Epoch ms before which no attempt on this account is looked at. */
  blocked_until_ms: number;
  /** Epoch ms of the last attempt; a count older than a day starts again. */
  last_failed_ms: number;
}

export interface StoreTable {
  id: string;
  name: string;
  owner_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ItemTable {
  id: string;
  store_id: string;
  name: string;
  description: string | null;
  price_cents: number;
  created_at: string;
  updated_at: string;
}

export interface TagTable {
  id: string;
  store_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ItemTagTable {
  item_id: string;
  tag_id: string;
  created_at: Generated<string>;
}

export interface UserTable {
  id: string;
  /** Lower case. */
  email: string;
  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`: the parameters live beside the hash so they can be raised later. */
  password_hash: string;
  role: 'user' | 'admin';
  created_at: string;
}

export interface RefreshTokenTable {
  id: string;
  family_id: string;
  user_id: string;
  /** SHA-256 of the token's secret part; the secret itself is never stored. */
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface RevokedAccessTokenTable {
  token_id: string;
  expires_at: string;
}

export interface IdempotencyKeyTable {
  /** Whose key it is: `user:<id>`, or `client:<address>` for operations anyone may call. */
  scope: string;
  key: string;
  operation_id: string;
  /** HMAC (keyed by a server secret) of the path and body: the same key with another request is refused. */
  fingerprint: string;
  /** Null while the first request runs; then its answer. */
  status: number | null;
  headers: string | null;
  body: string | null;
  created_at: string;
  expires_at: string;
}
