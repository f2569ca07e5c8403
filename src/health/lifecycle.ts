/**
 * Where this instance is in its life, as the process sets it and readiness reports it:
 * - `starting`: listening, but the database has not answered yet or migrations are running; liveness answers,
 *   readiness and every operation answer 503 with Retry-After;
 * - `serving`: ready;
 * - `draining`: shutdown has begun; readiness answers 503 so load balancers stop sending traffic, while the
 *   listener still takes requests (`SHUTDOWN_DELAY`);
 * - `closing`: the listener is closed and requests in flight are finishing; a request that still arrives on an
 *   open keep-alive connection gets 503 with `Connection: close`.
 */
export class Lifecycle {
  state: 'starting' | 'serving' | 'draining' | 'closing' = 'serving';

  get shuttingDown(): boolean {
    return this.state === 'draining' || this.state === 'closing';
  }
}
