// Sqlite schema steps for KMS keys, aliases, key policies, sealing and root-key rotation. Versions 300–399 belong here.
import type { Migration } from "./migration.js";

export const sqliteKeyMigrations: readonly Migration[] = [
  {
    version: 300,
    description: "KMS key states, rotated key material, aliases, root-key custody and rotation",
    sql: `
ALTER TABLE kms_keys ADD COLUMN key_state TEXT NOT NULL DEFAULT 'Enabled';
ALTER TABLE kms_keys ADD COLUMN deletion_at INTEGER;
ALTER TABLE kms_keys ADD COLUMN rotation_due_at INTEGER;
-- The background worker looks only at keys with something due.
CREATE INDEX kms_keys_deletion_due ON kms_keys (deletion_at) WHERE deletion_at IS NOT NULL;
CREATE INDEX kms_keys_rotation_due ON kms_keys (rotation_due_at) WHERE rotation_due_at IS NOT NULL;

CREATE TABLE kms_key_materials (
  key_arn TEXT NOT NULL REFERENCES kms_keys (arn) ON DELETE CASCADE,
  material_id TEXT NOT NULL,
  wrapped_material BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  rotation_type TEXT NOT NULL CHECK (rotation_type IN ('AUTOMATIC', 'ON_DEMAND')),
  PRIMARY KEY (key_arn, material_id)
) STRICT;

CREATE TABLE kms_aliases (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  alias_name TEXT NOT NULL,
  target_key_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, alias_name)
) STRICT;
CREATE INDEX kms_aliases_by_target ON kms_aliases (account_id, region, target_key_id, alias_name);
-- AWS-managed keys made before this step carry their alias on the key row only.
INSERT INTO kms_aliases (account_id, region, alias_name, target_key_id, created_at, updated_at)
  SELECT account_id, region, alias, key_id, created_at, created_at FROM kms_keys WHERE alias IS NOT NULL;

CREATE TABLE key_hierarchy (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  mode TEXT NOT NULL CHECK (mode IN ('file', 'shamir')),
  root_key_id TEXT NOT NULL,
  shares INTEGER,
  threshold INTEGER,
  verifier BLOB,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE root_key_rotations (
  rotation_id TEXT NOT NULL PRIMARY KEY,
  old_key_id TEXT NOT NULL,
  new_key_id TEXT NOT NULL,
  new_wrapped_by_old BLOB,
  old_wrapped_by_new BLOB,
  new_verifier BLOB,
  phase TEXT NOT NULL CHECK (phase IN ('rewrapping', 'finishing', 'done')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  total INTEGER NOT NULL,
  rewrapped INTEGER NOT NULL
) STRICT;
CREATE INDEX root_key_rotations_by_start ON root_key_rotations (started_at, rotation_id);
`,
  },
];
