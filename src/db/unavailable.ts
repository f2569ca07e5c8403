// Errors that mean the database cannot serve now (it is gone, locked, full, read-only), as opposed to a bug: the
// API answers them 503 with Retry-After, never 500. Recognised in one place, for SQLite and PostgreSQL.

export interface Unavailable {
  /** Why, as a client may be told it. */
  detail: string;
  /** Seconds a client should wait before sending the request again. */
  retryAfter: number;
}

const postgresCodes: Record<string, Unavailable> = {
  '57P01': { detail: 'The database is restarting.', retryAfter: 5 },
  '57P02': { detail: 'The database is restarting.', retryAfter: 5 },
  '57P03': { detail: 'The database is starting up or shutting down.', retryAfter: 5 },
  '57014': { detail: 'The database took too long to answer.', retryAfter: 5 },
  '55P03': { detail: 'The database is busy with other writes.', retryAfter: 1 },
  '53100': { detail: 'The database is out of disk space.', retryAfter: 30 },
  '53200': { detail: 'The database is out of memory.', retryAfter: 5 },
  '53300': { detail: 'The database has no connection to spare.', retryAfter: 2 },
  '25006': { detail: 'The database is read-only.', retryAfter: 30 },
};

const gone: Unavailable = { detail: 'The database does not answer.', retryAfter: 5 };

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** `pg`'s own errors for a connection that died or never came, which carry no code. */
const postgresClientMessages = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /not queryable/,
  /^Client was closed/,
  /Connection ended unexpectedly/,
];

/** What to tell the client when `error` means the database cannot serve now; undefined for any other error. */
export function unavailableDatabase(error: unknown): Unavailable | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error ? String(error.code) : '';
  const message = 'message' in error ? String(error.message) : '';
  if (code.startsWith('SQLITE_')) return sqlite(code);
  if (code in postgresCodes) return postgresCodes[code];
  if (code.startsWith('08') && code.length === 5) return gone;
  if (networkCodes.has(code)) return gone;
  if (postgresClientMessages.some((pattern) => pattern.test(message))) return gone;
  return undefined;
}

function sqlite(code: string): Unavailable | undefined {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { detail: 'The database is busy with other writes.', retryAfter: 1 };
  }
  if (code === 'SQLITE_FULL') {
    return { detail: 'The database is out of disk space.', retryAfter: 30 };
  }
  if (code.startsWith('SQLITE_READONLY')) return { detail: 'The database is read-only.', retryAfter: 30 };
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return { detail: 'The database cannot read or write its file.', retryAfter: 30 };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return { detail: 'The database file is damaged.', retryAfter: 60 };
  }
  return undefined;
}
