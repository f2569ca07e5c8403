// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('user').check(sql`role in ('user', 'admin')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Stores made before this migration have no owner; only admins may change them.
  await db.schema
    .alterTable('stores')
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('stores_owner_id_idx').on('stores').column('owner_id').execute();

  // Refresh tokens rotate: each is used once; every token of one sign-in shares a family, revoked together.
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refresh_tokens_family_id_idx').on('refresh_tokens').column('family_id').execute();

  // Access tokens revoked before they expire (sign-out), by token id; a row can go once expires_at has passed.
  await db.schema
    .createTable('revoked_access_tokens')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('revoked_access_tokens').execute();
  await db.schema.dropTable('refresh_tokens').execute();
  await db.schema.dropIndex('stores_owner_id_idx').execute();
  await db.schema.alterTable('stores').dropColumn('owner_id').execute();
  await db.schema.dropTable('users').execute();
}
