import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const keyLength = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function scryptOptions(log2N: number, r: number, p: number): ScryptOptions {
  // scrypt needs 128 * N * r bytes; allow twice that so the cost can be raised without touching this.
  return { N: 2 ** log2N, r, p, maxmem: 256 * 2 ** log2N * r };
}

/** A salted scrypt hash, stored with its parameters: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, scryptOptions(cost, 8, 1));
  return ['scrypt', cost, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * A stored-hash stand-in for a user who does not exist: the configured parameters, a random salt and a random
 * key. Checking a password against it runs the same scrypt as against a real hash, so a sign-in for an unknown
 * email takes as long as one for a known email, and no password matches it (that would take finding a preimage
 * of a random key). Made without running scrypt: a real hash of a random password, as before, cost 32 MiB and
 * about 100 ms at every start-up (the process's peak memory, in npm run bench).
 */
export function decoyHash(cost: number): string {
  return [
    'scrypt',
    cost,
    8,
    1,
    randomBytes(16).toString('base64url'),
    randomBytes(keyLength).toString('base64url'),
  ].join('$');
}

/** Compares in constant time, with the parameters the hash was made with. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, log2N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    scryptOptions(Number(log2N), Number(r), Number(p)),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}
