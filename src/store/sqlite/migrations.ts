import type { Migration } from '../migration';

/** SQLite schema. Timestamps are ISO-8601 UTC text; booleans are 0/1. Keep in step with ../mssql/migrations.ts. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'foundation',
    statements: [
      `CREATE TABLE bot_state (
        state_key TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL,
        etag TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE conversation_refs (
        tenant_id TEXT NOT NULL,
        aad_object_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        service_url TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, aad_object_id, scope)
      )`,
      `CREATE INDEX ix_conversation_refs_conversation ON conversation_refs (tenant_id, conversation_id)`,
      `CREATE INDEX ix_conversation_refs_user ON conversation_refs (aad_object_id)`,
      `CREATE TABLE org_meta (
        id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        municipality TEXT NOT NULL,
        synced_at TEXT NOT NULL
      )`,
      `CREATE TABLE committees (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE units (
        id TEXT NOT NULL PRIMARY KEY,
        committee_id TEXT NOT NULL REFERENCES committees (id),
        name TEXT NOT NULL,
        area TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX ix_units_committee ON units (committee_id)`,
      `CREATE TABLE people (
        entra_id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NULL,
        ordinal INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE role_assignments (
        entra_id TEXT NOT NULL REFERENCES people (entra_id),
        role TEXT NOT NULL,
        scope_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        PRIMARY KEY (entra_id, role, scope_id)
      )`,
      `CREATE INDEX ix_role_assignments_scope ON role_assignments (role, scope_id)`,
    ],
  },
];
