// Table types as SQLite stores them. Row types stay inside the repositories; handlers see API shapes.
import type { Generated } from 'kysely';

export interface Database {
  stores: StoreTable;
  items: ItemTable;
  tags: TagTable;
  item_tags: ItemTagTable;
}

export interface StoreTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ItemTable {
  id: string;
  store_id: string;
  name: string;
  description: string | null;
  price_cents: number;
  created_at: string;
  updated_at: string;
}

export interface TagTable {
  id: string;
  store_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ItemTagTable {
  item_id: string;
  tag_id: string;
  created_at: Generated<string>;
}
