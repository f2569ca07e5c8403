import type { components } from '../../generated/openapi.js';
import type { TagRow } from './repository.js';

export type Tag = components['schemas']['Tag'];

export function toTag(row: TagRow): Tag {
  return { id: row.id, storeId: row.store_id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}
