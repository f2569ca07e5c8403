import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const cursorSecret = 'Kp3xQ9vTz2LmN8rWc5YhJ7bFd4GsA6eU';
const jwtSecret = 'uE6aSg4dFb7Jh5YcW8rN2mLz9TvQ3xpK';

describe('loadConfig', () => {
  it('has defaults that run the API on port 3000 with a SQLite file', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: './data/stores.db',
      logLevel: 'info',
      migrateOnStart: true,
      seedDemoData: false,
      requireIfMatch: false,
      corsOrigins: [],
      trustProxy: false,
      responseValidation: 'log',
      bodyLimit: 65536,
      overloadMaxEventLoopDelay: 1000,
      overloadMaxEventLoopUtilization: 0,
      overloadRetryAfter: 10,
      shutdownDelay: 0,
      shutdownTimeout: 10000,
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      production: false,
      development: false,
      jwtSecret: undefined,
      cursorSecret: undefined,
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      headersTimeout: 10000,
      requestTimeout: 30000,
      bodyTimeout: 5000,
      keepAliveTimeout: 5000,
      idempotencyPurgeInterval: 600000,
      rateLimitPurgeInterval: 60000,
      signInFreeFailures: 5,
      signInMaxDelay: 900,
    });
  });

  it('reads each variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: ':memory:',
      LOG_LEVEL: 'debug',
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: '0',
      REQUIRE_IF_MATCH: 'true',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback',
      RESPONSE_VALIDATION: 'strict',
      CURSOR_SECRET: cursorSecret,
      BODY_LIMIT: '2048',
      JWT_SECRET: jwtSecret,
      ACCESS_TOKEN_TTL: '300',
      REFRESH_TOKEN_TTL: '7200',
      PASSWORD_HASH_COST: '12',
      OVERLOAD_MAX_EVENT_LOOP_DELAY: '250',
      OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: '0.9',
      OVERLOAD_RETRY_AFTER: '3',
      SHUTDOWN_DELAY: '5000',
      SHUTDOWN_TIMEOUT: '20000',
      NODE_ENV: 'development',
      ALLOWED_HOSTS: 'api.example.com, localhost:3000',
      HEADERS_TIMEOUT: '2000',
      REQUEST_TIMEOUT: '4000',
      BODY_TIMEOUT: '1000',
      KEEP_ALIVE_TIMEOUT: '3000',
      IDEMPOTENCY_PURGE_INTERVAL: '1000',
      RATE_LIMIT_PURGE_INTERVAL: '2000',
      SIGN_IN_FREE_FAILURES: '3',
      SIGN_IN_MAX_DELAY: '60',
      METRICS_PORT: '9100',
      METRICS_HOST: '127.0.0.2',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: ':memory:',
      logLevel: 'debug',
      migrateOnStart: false,
      seedDemoData: false,
      requireIfMatch: true,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      trustProxy: '127.0.0.1,10.0.0.0/8,loopback',
      responseValidation: 'strict',
      cursorSecret,
      bodyLimit: 2048,
      jwtSecret,
      accessTokenTtl: 300,
      refreshTokenTtl: 7200,
      passwordHashCost: 12,
      overloadMaxEventLoopDelay: 250,
      overloadMaxEventLoopUtilization: 0.9,
      overloadRetryAfter: 3,
      shutdownDelay: 5000,
      shutdownTimeout: 20000,
      production: false,
      development: true,
      allowedHosts: ['api.example.com', 'localhost:3000'],
      headersTimeout: 2000,
      requestTimeout: 4000,
      bodyTimeout: 1000,
      keepAliveTimeout: 3000,
      idempotencyPurgeInterval: 1000,
      rateLimitPurgeInterval: 2000,
      signInFreeFailures: 3,
      signInMaxDelay: 60,
      metricsPort: 9100,
      metricsHost: '127.0.0.2',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('serves no metrics with METRICS_PORT=off, and binds them where HOST says unless METRICS_HOST does', () => {
    expect(loadConfig({ METRICS_PORT: 'off' }).metricsPort).toBeUndefined();
    expect(loadConfig({ HOST: '127.0.0.1' }).metricsHost).toBe('127.0.0.1');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['METRICS_PORT', 'on'],
    ['METRICS_PORT', '0'],
    ['LOG_LEVEL', 'loud'],
    ['MIGRATE_ON_START', 'yes'],
    ['SEED_DEMO_DATA', 'maybe'],
    ['RESPONSE_VALIDATION', 'always'],
    ['CURSOR_SECRET', 'short'],
    ['BODY_LIMIT', '10'],
    ['JWT_SECRET', 'too short'],
    ['ACCESS_TOKEN_TTL', '5'],
    ['REFRESH_TOKEN_TTL', 'forever'],
    ['PASSWORD_HASH_COST', '8'],
    ['TRUST_PROXY', 'true'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.example'],
    ['OVERLOAD_MAX_EVENT_LOOP_UTILIZATION', '1.5'],
    ['OVERLOAD_RETRY_AFTER', '0'],
    ['SHUTDOWN_TIMEOUT', '10'],
    ['ALLOWED_HOSTS', 'evil.example/path'],
    ['BODY_TIMEOUT', '0'],
    ['HEADERS_TIMEOUT', 'soon'],
    ['KEEP_ALIVE_TIMEOUT', '10'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name} must be`));
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('in production, refuses the development secrets, turns off demo data and response checks, and waits 5 s on SIGTERM', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CURSOR_SECRET must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set/);
    expect(
      loadConfig({ NODE_ENV: 'production', CURSOR_SECRET: cursorSecret, JWT_SECRET: jwtSecret, ALLOWED_HOSTS: 'x.io' }),
    ).toMatchObject({
      seedDemoData: false,
      responseValidation: 'off',
      shutdownDelay: 5000,
    });
  });
});
