import { isIP } from 'node:net';

// The process's whole configuration, read once from the environment, validated, and frozen.
// Tests build their own Config with `loadConfig({...})` instead of touching process.env.

export type ResponseValidation = 'off' | 'log' | 'strict';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** A SQLite file path, or `:memory:`. */
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
  /** Apply pending migrations when the server starts. */
  readonly migrateOnStart: boolean;
  /** Load the demo catalogue when the server starts on a database with no stores. */
  readonly seedDemoData: boolean;
  /** Check every response against openapi.yaml: `log` logs breaches as errors, `strict` also answers 500. */
  readonly responseValidation: ResponseValidation;
  /** NODE_ENV=production: secrets and a Host rule are required, demo data is refused and the demo account disabled. */
  readonly production: boolean;
  /** NODE_ENV=development: the only environment that may load the demo catalogue. */
  readonly development: boolean;
  /**
   * Signs pagination cursors so that clients cannot forge them, and keys the idempotency fingerprints. Every
   * instance of one deployment shares it. Unset outside production: a random one is made on first start and kept
   * in the database (`server_secrets`), see src/secrets/.
   */
  readonly cursorSecret: string | undefined;
  /** The largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /**
   * Which peers are proxies whose `X-Forwarded-Proto`, `-Host` and `-For` are believed: `false` (none, the
   * default), or a comma-separated list of addresses, CIDR ranges and the words `loopback`, `linklocal`,
   * `uniquelocal`. Absolute URLs, the Host check and per-client rate limits all follow from it.
   */
  readonly trustProxy: false | string;
  /** Browser origins allowed to call the API across origins (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  /** Refuse changes (PUT, PATCH, DELETE) that do not send `If-Match`, with 428. */
  readonly requireIfMatch: boolean;
  /** The origin clients reach the API at (`https://api.example.com`); absolute URLs use it. Unset: the Host header. */
  readonly publicUrl: string | undefined;
  /**
   * Hosts (`api.example.com`, or with a port `api.example.com:8443`) whose Host header links may be built from;
   * any other Host is refused with 400. Undefined: any Host (only when PUBLIC_URL is set, as links then ignore it).
   * Outside production, with neither set: the loopback names.
   */
  readonly allowedHosts: readonly string[] | undefined;
  /** Signs access tokens (HS256). Every instance shares it. Unset outside production: made and kept as above. */
  readonly jwtSecret: string | undefined;
  /** Lifetime of access tokens, in seconds. */
  readonly accessTokenTtl: number;
  /** Lifetime of refresh tokens, in seconds. */
  readonly refreshTokenTtl: number;
  /** scrypt cost as log2 of N; each step doubles the time and memory a password hash takes. */
  readonly passwordHashCost: number;
  /** Shed requests with 503 while the mean event-loop delay exceeds this many milliseconds; 0 turns it off. */
  readonly overloadMaxEventLoopDelay: number;
  /** Shed requests with 503 while the event loop is busier than this share of the time (0 to 1); 0 turns it off. */
  readonly overloadMaxEventLoopUtilization: number;
  /** The `Retry-After` of a shed request, in seconds. */
  readonly overloadRetryAfter: number;
  /**
   * After SIGTERM, how long readiness answers 503 while requests are still taken (each answer then says
   * `Connection: close`, so keep-alive clients leave), in milliseconds.
   */
  readonly shutdownDelay: number;
  /** After the listener closes, how long requests in flight may take before the process exits anyway, in ms. */
  readonly shutdownTimeout: number;
  /** How long a client may take to send a request's headers, in milliseconds (then 408 and the connection closes). */
  readonly headersTimeout: number;
  /** How long a client may take to send a whole request, body included, in milliseconds. */
  readonly requestTimeout: number;
  /** How long a request body may stall between two chunks, in milliseconds (then 408 problem+json, connection closed). */
  readonly bodyTimeout: number;
  /** How long an idle keep-alive connection stays open waiting for the next request, in milliseconds. */
  readonly keepAliveTimeout: number;
  /** How often expired idempotency records are deleted, in milliseconds. */
  readonly idempotencyPurgeInterval: number;
  /** How often ended rate-limit windows and forgotten sign-in counts are deleted, in milliseconds. */
  readonly rateLimitPurgeInterval: number;
  /** Failed sign-ins to one account (from any address) allowed before each further attempt must wait. */
  readonly signInFreeFailures: number;
  /** The longest wait between attempts on one account, in seconds; the waits double up to it. */
  readonly signInMaxDelay: number;
  /**
   * The port of the Prometheus endpoint (`GET /metrics`), a listener of its own apart from the API's;
   * undefined (METRICS_PORT=off) serves none.
   */
  readonly metricsPort: number | undefined;
  /** The address the metrics listener binds; HOST unless set. */
  readonly metricsHost: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

const logLevels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const validationModes: ResponseValidation[] = ['off', 'log', 'strict'];
/**
 * Every secret that ever shipped in this repository as a default or an example. They are public: refused
 * everywhere, whatever NODE_ENV says.
 */
export const publishedSecrets: readonly string[] = [
  'stores-api-development-cursor-secret',
  'stores-api-development-jwt-secret-not-for-production',
  'benchmark-cursor-secret-benchmark-cursor',
  'benchmark-jwt-secret-benchmark-jwt-secret',
];
/** The fewest distinct characters a secret may have: `aaaa…` or `abababab…` are not secrets. */
export const minSecretDistinctCharacters = 12;
const loopbackHosts = Object.freeze(['localhost', '127.0.0.1', '[::1]']);

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (raw: string) => T | undefined, expected: string): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parse(raw);
    if (value === undefined) {
      problems.push(`${name} must be ${expected}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const production = env.NODE_ENV === 'production';
  const development = env.NODE_ENV === 'development';

  const config: Config = {
    port: read('PORT', 3000, (raw) => integerIn(raw, 0, 65535), 'an integer from 0 to 65535'),
    host: read('HOST', '0.0.0.0', (raw) => raw, 'a host name or address'),
    databaseUrl: read('DATABASE_URL', './data/stores.db', (raw) => raw, 'a SQLite file path or a postgres:// URL'),
    logLevel: read('LOG_LEVEL', 'info', (raw) => oneOf(raw, logLevels), `one of ${logLevels.join(', ')}`),
    migrateOnStart: read('MIGRATE_ON_START', true, boolean, 'true or false'),
    seedDemoData: read('SEED_DEMO_DATA', development, boolean, 'true or false'),
    requireIfMatch: read('REQUIRE_IF_MATCH', false, boolean, 'true or false'),
    corsOrigins: read<readonly string[]>('CORS_ORIGINS', [], originList, 'a comma-separated list of http(s) origins'),
    trustProxy: read<false | string>(
      'TRUST_PROXY',
      false,
      proxyList,
      'false, or addresses, CIDR ranges, loopback, linklocal, uniquelocal',
    ),
    responseValidation: read(
      'RESPONSE_VALIDATION',
      production ? 'off' : 'log',
      (raw) => oneOf(raw, validationModes),
      `one of ${validationModes.join(', ')}`,
    ),
    production,
    development,
    cursorSecret: read<string | undefined>('CURSOR_SECRET', undefined, secret, secretRule),
    bodyLimit: read('BODY_LIMIT', 65536, (raw) => integerIn(raw, 1024, 10485760), 'bytes from 1024 to 10485760'),
    publicUrl: read<string | undefined>(
      'PUBLIC_URL',
      undefined,
      origin,
      'an http(s) origin such as https://api.example.com',
    ),
    allowedHosts: read<readonly string[] | undefined>(
      'ALLOWED_HOSTS',
      env.PUBLIC_URL || production ? undefined : loopbackHosts,
      hostList,
      'a comma-separated list of host names, each with an optional :port',
    ),
    jwtSecret: read<string | undefined>('JWT_SECRET', undefined, secret, secretRule),
    accessTokenTtl: read('ACCESS_TOKEN_TTL', 900, (raw) => integerIn(raw, 60, 86400), 'seconds from 60 to 86400'),
    refreshTokenTtl: read(
      'REFRESH_TOKEN_TTL',
      2592000,
      (raw) => integerIn(raw, 3600, 31536000),
      'seconds from 3600 to 31536000',
    ),
    passwordHashCost: read('PASSWORD_HASH_COST', 15, (raw) => integerIn(raw, 10, 20), 'an integer from 10 to 20'),
    overloadMaxEventLoopDelay: read(
      'OVERLOAD_MAX_EVENT_LOOP_DELAY',
      1000,
      (raw) => integerIn(raw, 0, 60000),
      'milliseconds from 0 (off) to 60000',
    ),
    overloadMaxEventLoopUtilization: read(
      'OVERLOAD_MAX_EVENT_LOOP_UTILIZATION',
      0,
      share,
      'a number from 0 (off) to 1',
    ),
    overloadRetryAfter: read('OVERLOAD_RETRY_AFTER', 10, (raw) => integerIn(raw, 1, 3600), 'seconds from 1 to 3600'),
    // In production a load balancer needs time to see readiness turn 503 before the listener closes; in
    // development nothing is in front, and a reload (tsx watch) should not wait.
    shutdownDelay: read(
      'SHUTDOWN_DELAY',
      production ? 5000 : 0,
      (raw) => integerIn(raw, 0, 300000),
      'milliseconds from 0 to 300000',
    ),
    shutdownTimeout: read(
      'SHUTDOWN_TIMEOUT',
      10000,
      (raw) => integerIn(raw, 100, 300000),
      'milliseconds from 100 to 300000',
    ),
    headersTimeout: read('HEADERS_TIMEOUT', 10000, (raw) => integerIn(raw, 100, 300000), 'ms from 100 to 300000'),
    requestTimeout: read('REQUEST_TIMEOUT', 30000, (raw) => integerIn(raw, 100, 600000), 'ms from 100 to 600000'),
    bodyTimeout: read('BODY_TIMEOUT', 5000, (raw) => integerIn(raw, 100, 300000), 'ms from 100 to 300000'),
    keepAliveTimeout: read('KEEP_ALIVE_TIMEOUT', 5000, (raw) => integerIn(raw, 100, 600000), 'ms from 100 to 600000'),
    idempotencyPurgeInterval: read(
      'IDEMPOTENCY_PURGE_INTERVAL',
      600000,
      (raw) => integerIn(raw, 100, 86400000),
      'ms from 100 to 86400000',
    ),
    rateLimitPurgeInterval: read(
      'RATE_LIMIT_PURGE_INTERVAL',
      60000,
      (raw) => integerIn(raw, 100, 86400000),
      'ms from 100 to 86400000',
    ),
    signInFreeFailures: read('SIGN_IN_FREE_FAILURES', 5, (raw) => integerIn(raw, 1, 100), 'an integer from 1 to 100'),
    signInMaxDelay: read('SIGN_IN_MAX_DELAY', 900, (raw) => integerIn(raw, 1, 86400), 'seconds from 1 to 86400'),
    metricsPort: portOrOff(
      read<number | 'off'>(
        'METRICS_PORT',
        9464,
        (raw) => (raw === 'off' ? 'off' : integerIn(raw, 1, 65535)),
        'off or an integer from 1 to 65535',
      ),
    ),
    metricsHost: read('METRICS_HOST', env.HOST || '0.0.0.0', (raw) => raw, 'a host name or address'),
  };
  if (production && config.cursorSecret === undefined) {
    problems.push(`CURSOR_SECRET must be set when NODE_ENV=production (${secretRule})`);
  }
  if (production && config.jwtSecret === undefined) {
    problems.push(`JWT_SECRET must be set when NODE_ENV=production (${secretRule})`);
  }
  if (production && config.seedDemoData) {
    problems.push('SEED_DEMO_DATA must not be true when NODE_ENV=production: the demo password is public');
  }
  if (!development && env.SEED_DEMO_DATA !== undefined && config.seedDemoData) {
    problems.push('SEED_DEMO_DATA=true needs NODE_ENV=development: the demo account has a published password');
  }
  if (production && config.publicUrl === undefined && env.ALLOWED_HOSTS === undefined) {
    problems.push('PUBLIC_URL or ALLOWED_HOSTS must be set when NODE_ENV=production: links are built from them');
  }
  if (config.bodyTimeout > config.requestTimeout || config.headersTimeout > config.requestTimeout) {
    problems.push('REQUEST_TIMEOUT must be at least HEADERS_TIMEOUT and BODY_TIMEOUT');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

const secretRule = `at least 32 characters, ${minSecretDistinctCharacters} of them distinct, and never a published default`;

/** A secret strong enough to sign with: long, not a repetition, and never one that was published. */
function secret(raw: string): string | undefined {
  if (raw.length < 32 || new Set(raw).size < minSecretDistinctCharacters) return undefined;
  return publishedSecrets.includes(raw) ? undefined : raw;
}

function hostList(raw: string): readonly string[] | undefined {
  const hosts = raw.split(',').map((h) => h.trim().toLowerCase());
  const valid = hosts.every((host) => {
    const match = /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/.exec(host);
    return match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
  });
  return valid && hosts.length > 0 ? Object.freeze(hosts) : undefined;
}

function portOrOff(port: number | 'off'): number | undefined {
  return port === 'off' ? undefined : port;
}

function integerIn(raw: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

function oneOf<T extends string>(raw: string, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === raw);
}

function origin(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    return bare && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function originList(raw: string): readonly string[] | undefined {
  const origins = raw.split(',').map((o) => origin(o.trim()));
  return origins.every((o) => o !== undefined) ? Object.freeze(origins as string[]) : undefined;
}

function proxyList(raw: string): false | string | undefined {
  if (raw === 'false') return false;
  const entries = raw.split(',').map((e) => e.trim());
  const valid = entries.every((entry) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  return valid ? entries.join(',') : undefined;
}

function share(raw: string): number | undefined {
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(raw)) return undefined;
  return Number(raw);
}

function boolean(raw: string): boolean | undefined {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return undefined;
}
