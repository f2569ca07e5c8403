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
  /** Signs pagination cursors so that clients cannot forge them. Every instance of one deployment shares it. */
  readonly cursorSecret: string;
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
  /** Signs access tokens (HS256). Every instance of one deployment shares it. */
  readonly jwtSecret: string;
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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

const logLevels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const validationModes: ResponseValidation[] = ['off', 'log', 'strict'];
const developmentCursorSecret = 'stores-api-development-cursor-secret';
const developmentJwtSecret = 'stores-api-development-jwt-secret-not-for-production';

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

  const config: Config = {
    port: read('PORT', 3000, (raw) => integerIn(raw, 0, 65535), 'an integer from 0 to 65535'),
    host: read('HOST', '0.0.0.0', (raw) => raw, 'a host name or address'),
    databaseUrl: read('DATABASE_URL', './data/stores.db', (raw) => raw, 'a SQLite file path or a postgres:// URL'),
    logLevel: read('LOG_LEVEL', 'info', (raw) => oneOf(raw, logLevels), `one of ${logLevels.join(', ')}`),
    migrateOnStart: read('MIGRATE_ON_START', true, boolean, 'true or false'),
    seedDemoData: read('SEED_DEMO_DATA', !production, boolean, 'true or false'),
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
    cursorSecret: read(
      'CURSOR_SECRET',
      developmentCursorSecret,
      (raw) => (raw.length >= 32 ? raw : undefined),
      'at least 32 characters',
    ),
    bodyLimit: read('BODY_LIMIT', 65536, (raw) => integerIn(raw, 1024, 10485760), 'bytes from 1024 to 10485760'),
    publicUrl: read<string | undefined>(
      'PUBLIC_URL',
      undefined,
      origin,
      'an http(s) origin such as https://api.example.com',
    ),
    jwtSecret: read(
      'JWT_SECRET',
      developmentJwtSecret,
      (raw) => (raw.length >= 32 ? raw : undefined),
      'at least 32 characters',
    ),
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
  };
  if (production && config.cursorSecret === developmentCursorSecret) {
    problems.push('CURSOR_SECRET must be set when NODE_ENV=production (32 characters or more)');
  }
  if (production && config.jwtSecret === developmentJwtSecret) {
    problems.push('JWT_SECRET must be set when NODE_ENV=production (32 characters or more)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
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
