// Sqlite schema steps for identity and access (IAM users, groups, roles, policies, STS sessions). Versions 200–299 belong here.
import type { Migration } from "./migration.js";

// IAM names are unique without regard to case: the unique indexes are on lower(name), which is
// also the listing order (ties broken by the name itself, then the id). Names are ASCII by model
// pattern, so SQLite's ASCII-only lower() is exact.
export const sqliteIdentityMigrations: readonly Migration[] = [
  {
    version: 200,
    description: "IAM entities, policies, attachments, STS sessions",
    sql: `
CREATE TABLE iam_entities (
  id TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'group', 'role')),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  attrs TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX iam_entities_by_name ON iam_entities (account_id, kind, lower(name));

CREATE TABLE iam_group_members (
  group_id TEXT NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX iam_group_members_by_user ON iam_group_members (user_id, group_id);

CREATE TABLE iam_inline_policies (
  owner_id TEXT NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  policy_name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (owner_id, policy_name)
) STRICT;

CREATE TABLE iam_policies (
  arn TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  default_version TEXT NOT NULL,
  next_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  attrs TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX iam_policies_by_name ON iam_policies (account_id, lower(name));

CREATE TABLE iam_policy_versions (
  policy_arn TEXT NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
) STRICT;

-- policy_arn has no foreign key: AWS managed policies (arn:aws:iam::aws:policy/…) are not rows.
CREATE TABLE iam_attachments (
  owner_id TEXT NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  policy_arn TEXT NOT NULL,
  PRIMARY KEY (owner_id, policy_arn)
) STRICT;
CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn, owner_id);

CREATE INDEX access_keys_by_principal ON access_keys (principal_arn, created_at);

CREATE TABLE sts_sessions (
  access_key_id TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  sealed_secret BLOB NOT NULL,
  role_arn TEXT NOT NULL,
  role_id TEXT NOT NULL,
  session_name TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attrs TEXT NOT NULL
) STRICT;
CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);

CREATE TABLE iam_generation (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
) STRICT;
INSERT INTO iam_generation (id, value) VALUES (1, 0);
`,
  },
];
