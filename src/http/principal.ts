/** Who is calling a secured operation, as established by its security scheme before any handler runs. */
export interface Principal {
  readonly userId: string;
  /** Read from the database on every request, so a change of role takes effect at once. */
  readonly role: 'user' | 'admin';
  /** The access token's id (`jti`) and expiry, so that signing out can revoke it. */
  readonly tokenId: string;
  readonly tokenExpiresAt: number;
  /** The sign-in the token belongs to (its refresh-token family): changing the password keeps only this one. */
  readonly sessionId: string;
}
