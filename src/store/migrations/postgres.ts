// PostgreSQL schema history. Each entry runs once, in version order, inside the migration
// transaction (under an advisory lock), and is recorded in schema_migrations. Entries are never
// edited once released: a schema change is a new entry.

import { postgresAuditMigrations } from "./postgres-audit.js";
import { postgresIdentityMigrations } from "./postgres-identity.js";
import { postgresKeyMigrations } from "./postgres-keys.js";
import type { Migration } from "./migration.js";

// Identifier and name columns use COLLATE "C" so that ordering (ListSecrets by name, arn
// tie-breaks) is by bytes, exactly as on SQLite, whatever locale the database was created with.
// Times are bigint milliseconds; JSON is kept as text so it comes back exactly as written.
const corePostgresMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "initial schema",
    sql: `
CREATE TABLE accounts (
  account_id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE access_keys (
  access_key_id text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL,
  principal_arn text COLLATE "C" NOT NULL,
  sealed_secret bytea NOT NULL,
  status text NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at bigint NOT NULL
);

CREATE TABLE kms_keys (
  account_id text COLLATE "C" NOT NULL,
  region text COLLATE "C" NOT NULL,
  key_id text COLLATE "C" NOT NULL,
  arn text COLLATE "C" NOT NULL UNIQUE,
  alias text COLLATE "C",
  wrapped_material bytea NOT NULL,
  created_at bigint NOT NULL,
  meta text NOT NULL,
  PRIMARY KEY (account_id, region, key_id)
);
-- NULLs are distinct in a unique index, so any number of keys may have no alias.
CREATE UNIQUE INDEX kms_keys_alias ON kms_keys (account_id, region, alias);

CREATE TABLE settings (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE leases (
  name text COLLATE "C" PRIMARY KEY,
  holder text COLLATE "C" NOT NULL,
  expires_at bigint NOT NULL
);

CREATE TABLE secrets (
  arn text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL,
  region text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  last_changed_at bigint NOT NULL,
  last_accessed_at bigint,
  deleted_at bigint,
  deletion_at bigint,
  stages text NOT NULL,
  meta text NOT NULL,
  CONSTRAINT secrets_name_key UNIQUE (account_id, region, name)
);
-- One index per ListSecrets sort key, ending in arn (the tie-breaker), so that every page is a
-- range scan that starts at the cursor whatever the size of the account.
CREATE INDEX secrets_by_created ON secrets (account_id, region, created_at, arn);
CREATE INDEX secrets_by_changed ON secrets (account_id, region, last_changed_at, arn);
CREATE INDEX secrets_by_accessed ON secrets (account_id, region, (COALESCE(last_accessed_at, 0)), arn);
CREATE INDEX secrets_by_name ON secrets (account_id, region, name, arn);
-- Only secrets scheduled for deletion are of interest to the purge job.
CREATE INDEX secrets_by_deletion ON secrets (deletion_at, arn) WHERE deletion_at IS NOT NULL;

CREATE TABLE versions (
  secret_arn text COLLATE "C" NOT NULL REFERENCES secrets (arn) ON DELETE CASCADE,
  version_id text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  last_accessed_at bigint,
  kms_key_id text COLLATE "C",
  sealed bytea,
  PRIMARY KEY (secret_arn, version_id)
);
`,
  },
  {
    version: 2,
    description: "versions by age",
    sql: `
-- The version limit drops a secret's oldest versions: this finds them without reading the rest.
CREATE INDEX versions_by_age ON versions (secret_arn, created_at, version_id);
`,
  },
];

/** Every step, in version order: the core tables, then each feature's own. */
export const postgresMigrations: readonly Migration[] = [
  ...corePostgresMigrations,
  ...postgresAuditMigrations,
  ...postgresIdentityMigrations,
  ...postgresKeyMigrations,
].sort((a, b) => a.version - b.version);
