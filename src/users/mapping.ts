import type { components } from '../../generated/openapi.js';
import type { UserRow } from './repository.js';

export type User = components['schemas']['User'];

/** The API shape of a user: never the password hash. */
export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.created_at };
}
