import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from '../../src/auth/passwords.js';

/** Everything in a stored hash that decides how much work checking a password against it takes. */
function workOf(stored: string) {
  const [scheme, log2N, r, p, salt, key] = stored.split('$');
  return {
    scheme,
    log2N,
    r,
    p,
    saltBytes: Buffer.from(salt ?? '', 'base64url').length,
    keyBytes: Buffer.from(key ?? '', 'base64url').length,
  };
}

describe('the decoy hash checked for an unknown e-mail address', () => {
  it('asks for the same scrypt work as a real hash of the same cost, so both sign-ins take as long', async () => {
    for (const cost of [10, 12]) {
      expect(workOf(decoyHash(cost))).toEqual(workOf(await hashPassword('a real password', cost)));
    }
  });

  it('matches no password, and is new each time', async () => {
    const decoy = decoyHash(10);
    expect(await verifyPassword('', decoy)).toBe(false);
    expect(await verifyPassword('a real password', decoy)).toBe(false);
    expect(decoyHash(10)).not.toBe(decoy);
    // The same checker accepts a real hash, so the false above is the key's doing, not a malformed string's.
    expect(await verifyPassword('a real password', await hashPassword('a real password', 10))).toBe(true);
  });
});
