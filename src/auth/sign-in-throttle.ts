import { databaseNow } from '../db/clock.js';
import type { Db } from '../db/database.js';
import { problem } from '../http/problem.js';
import { keyedHash } from '../secrets/server-secrets.js';
import { clearAttempts, countAttempt } from './sign-in-repository.js';

export interface ThrottleSettings {
  readonly hashKey: Buffer;
  readonly config: { readonly signInFreeFailures: number; readonly signInMaxDelay: number };
}

export type Throttled = ReturnType<typeof throttled>;

const day = 24 * 60 * 60 * 1000;

/**
 * Guards the password check of one account, from every address and on every instance at once (the count is in
 * the database): `attempt` counts the try before the password is looked at and answers 429 when the account
 * must still wait; `succeeded` clears the count. Accounts are named by a keyed hash of the lower-case e-mail
 * address, known or not, so an unknown address is throttled exactly like a real one and nothing tells them
 * apart.
 */
export function signInThrottle(db: Db, settings: ThrottleSettings, email: string) {
  const account = keyedHash(settings.hashKey, `sign-in:${email.toLowerCase()}`);
  return {
    async attempt(): Promise<Throttled | undefined> {
      // The database's clock, so that instances whose clocks disagree impose the same waits.
      const now = (await databaseNow(db)).getTime();
      const counted = await countAttempt(db, account, {
        now,
        free: settings.config.signInFreeFailures,
        maxDelayMs: settings.config.signInMaxDelay * 1000,
        forgetAfterMs: day,
      });
      return counted.ok ? undefined : throttled(Math.max(1, Math.ceil((counted.blockedUntilMs - now) / 1000)));
    },
    succeeded: () => clearAttempts(db, account),
  };
}

function throttled(seconds: number) {
  const answer = problem(
    429,
    `Too many failed sign-ins to this account; try again in ${seconds} seconds.`,
    '/problems/sign-in-throttled',
  );
  return { ...answer, headers: { 'Retry-After': seconds } };
}
