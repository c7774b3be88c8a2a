// SQLite schema history. Each entry runs once, in version order, inside the migration
// transaction, and is recorded in schema_migrations. Entries are never edited once released:
// a schema change is a new entry.

import { sqliteAuditMigrations } from "./sqlite-audit.js";
import { sqliteIdentityMigrations } from "./sqlite-identity.js";
import { sqliteKeyMigrations } from "./sqlite-keys.js";
import type { Migration } from "./migration.js";

export type { Migration } from "./migration.js";

// Tables are STRICT so that a wrongly typed bind (a string time, a float) fails loudly instead of
// being stored as-is. Text primary keys say NOT NULL explicitly because SQLite otherwise allows
// NULL in them on rowid tables. The default BINARY collation already orders by UTF-8 bytes.
const coreSqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "initial schema",
    sql: `
CREATE TABLE accounts (
  account_id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE access_keys (
  access_key_id TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  principal_arn TEXT NOT NULL,
  sealed_secret BLOB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE kms_keys (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  key_id TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  alias TEXT,
  wrapped_material BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  meta TEXT NOT NULL,
  PRIMARY KEY (account_id, region, key_id)
) STRICT;
-- NULLs are distinct in a unique index, so any number of keys may have no alias.
CREATE UNIQUE INDEX kms_keys_alias ON kms_keys (account_id, region, alias);

CREATE TABLE settings (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE leases (
  name TEXT NOT NULL PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE secrets (
  arn TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_changed_at INTEGER NOT NULL,
  last_accessed_at INTEGER,
  deleted_at INTEGER,
  deletion_at INTEGER,
  stages TEXT NOT NULL,
  meta TEXT NOT NULL,
  -- The last-accessed sort key as a column: SQLite can seek an index by a row value
  -- (sort key, arn) only when both are columns, not when one is an indexed expression.
  last_accessed_sort INTEGER GENERATED ALWAYS AS (COALESCE(last_accessed_at, 0)) VIRTUAL,
  UNIQUE (account_id, region, name)
) STRICT;
-- One index per ListSecrets sort key, ending in arn (the tie-breaker), so that every page is a
-- range scan that starts at the cursor whatever the size of the account.
CREATE INDEX secrets_by_created ON secrets (account_id, region, created_at, arn);
CREATE INDEX secrets_by_changed ON secrets (account_id, region, last_changed_at, arn);
CREATE INDEX secrets_by_accessed ON secrets (account_id, region, last_accessed_sort, arn);
CREATE INDEX secrets_by_name ON secrets (account_id, region, name, arn);
-- Only secrets scheduled for deletion are of interest to the purge job.
CREATE INDEX secrets_by_deletion ON secrets (deletion_at, arn) WHERE deletion_at IS NOT NULL;

CREATE TABLE versions (
  secret_arn TEXT NOT NULL REFERENCES secrets (arn) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_accessed_at INTEGER,
  kms_key_id TEXT,
  sealed BLOB,
  PRIMARY KEY (secret_arn, version_id)
) STRICT;
`,
  },
  {
    version: 2,
    description: "read cache generation",
    sql: `
-- Raised by every change to the rows the read cache holds (secrets, versions), so that a cache
-- is emptied by the commits that matter to it and not by every commit (an audit batch commits
-- many times a second under load and changes neither table).
CREATE TABLE read_cache_generation (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
) STRICT;
INSERT INTO read_cache_generation (id, value) VALUES (1, 0);
${["secrets", "versions"]
  .flatMap((table) =>
    ["INSERT", "UPDATE", "DELETE"].map(
      (event) => `CREATE TRIGGER ${table}_${event.toLowerCase()}_raises_generation AFTER ${event} ON ${table}
BEGIN UPDATE read_cache_generation SET value = value + 1 WHERE id = 1; END;`,
    ),
  )
  .join("\n")}
`,
  },
  {
    version: 3,
    description: "versions by age",
    sql: `
-- The version limit drops a secret's oldest versions: this finds them without reading the rest.
CREATE INDEX versions_by_age ON versions (secret_arn, created_at, version_id);
`,
  },
];

/** Every step, in version order: the core tables, then each feature's own. */
export const sqliteMigrations: readonly Migration[] = [
  ...coreSqliteMigrations,
  ...sqliteAuditMigrations,
  ...sqliteIdentityMigrations,
  ...sqliteKeyMigrations,
].sort((a, b) => a.version - b.version);
