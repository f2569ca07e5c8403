import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino';

/**
 * Fastify's `childLoggerFactory`: each request's logger, made only when the request logs something.
 *
 * Fastify gives every request a pino child carrying its id, and pino's `child()` serializes the bindings and builds
 * the child's methods: about 2.5 µs of every request in a profile of the running server. Yet nearly every request
 * logs nothing through it (the access line is written apart, access-log.ts): only errors, warnings and debug lines
 * do. So the request gets this stand-in, which holds the parent and the bindings and makes the same child on its
 * first call; that line is the line the child would have written.
 */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new RequestLogger(logger, bindings, options);
}

class RequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  /** The request's pino child, made on first use. */
  get #logger(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): LevelWithSilentOrString {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#logger.level = level;
  }

  fatal(...args: unknown[]): void {
    Reflect.apply(this.#logger.fatal, this.#logger, args);
  }

  error(...args: unknown[]): void {
    Reflect.apply(this.#logger.error, this.#logger, args);
  }

  warn(...args: unknown[]): void {
    Reflect.apply(this.#logger.warn, this.#logger, args);
  }

  info(...args: unknown[]): void {
    Reflect.apply(this.#logger.info, this.#logger, args);
  }

  debug(...args: unknown[]): void {
    Reflect.apply(this.#logger.debug, this.#logger, args);
  }

  trace(...args: unknown[]): void {
    Reflect.apply(this.#logger.trace, this.#logger, args);
  }

  silent(...args: unknown[]): void {
    Reflect.apply(this.#logger.silent, this.#logger, args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger.child(bindings, options);
  }
}
