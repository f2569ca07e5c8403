import type { components } from '../../generated/openapi.js';
import type { StoreRow } from './repository.js';

export type Store = components['schemas']['Store'];

export function toStore(row: StoreRow): Store {
  return { id: row.id, name: row.name, ownerId: row.owner_id, createdAt: row.created_at, updatedAt: row.updated_at };
}
