// Postgres schema steps for KMS keys, aliases, key policies, sealing and root-key rotation. Versions 300–399 belong here.
import type { Migration } from "./migration.js";

export const postgresKeyMigrations: readonly Migration[] = [
  {
    version: 300,
    description: "KMS key states, rotated key material, aliases, root-key custody and rotation",
    sql: `
ALTER TABLE kms_keys ADD COLUMN key_state text NOT NULL DEFAULT 'Enabled';
ALTER TABLE kms_keys ADD COLUMN deletion_at bigint;
ALTER TABLE kms_keys ADD COLUMN rotation_due_at bigint;
-- The background worker looks only at keys with something due.
CREATE INDEX kms_keys_deletion_due ON kms_keys (deletion_at) WHERE deletion_at IS NOT NULL;
CREATE INDEX kms_keys_rotation_due ON kms_keys (rotation_due_at) WHERE rotation_due_at IS NOT NULL;

CREATE TABLE kms_key_materials (
  key_arn text COLLATE "C" NOT NULL REFERENCES kms_keys (arn) ON DELETE CASCADE,
  material_id text COLLATE "C" NOT NULL,
  wrapped_material bytea NOT NULL,
  created_at bigint NOT NULL,
  rotation_type text NOT NULL CHECK (rotation_type IN ('AUTOMATIC', 'ON_DEMAND')),
  PRIMARY KEY (key_arn, material_id)
);

CREATE TABLE kms_aliases (
  account_id text COLLATE "C" NOT NULL,
  region text COLLATE "C" NOT NULL,
  alias_name text COLLATE "C" NOT NULL,
  target_key_id text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (account_id, region, alias_name)
);
CREATE INDEX kms_aliases_by_target ON kms_aliases (account_id, region, target_key_id, alias_name);
-- AWS-managed keys made before this step carry their alias on the key row only.
INSERT INTO kms_aliases (account_id, region, alias_name, target_key_id, created_at, updated_at)
  SELECT account_id, region, alias, key_id, created_at, created_at FROM kms_keys WHERE alias IS NOT NULL;

CREATE TABLE key_hierarchy (
  id integer PRIMARY KEY CHECK (id = 1),
  mode text NOT NULL CHECK (mode IN ('file', 'shamir')),
  root_key_id text COLLATE "C" NOT NULL,
  shares integer,
  threshold integer,
  verifier bytea,
  updated_at bigint NOT NULL
);

CREATE TABLE root_key_rotations (
  rotation_id text COLLATE "C" PRIMARY KEY,
  old_key_id text COLLATE "C" NOT NULL,
  new_key_id text COLLATE "C" NOT NULL,
  new_wrapped_by_old bytea,
  old_wrapped_by_new bytea,
  new_verifier bytea,
  phase text NOT NULL CHECK (phase IN ('rewrapping', 'finishing', 'done')),
  started_at bigint NOT NULL,
  finished_at bigint,
  total integer NOT NULL,
  rewrapped integer NOT NULL
);
CREATE INDEX root_key_rotations_by_start ON root_key_rotations (started_at, rotation_id);
`,
  },
];
