// Postgres schema steps for identity and access (IAM users, groups, roles, policies, STS sessions). Versions 200–299 belong here.
import type { Migration } from "./migration.js";

// IAM names are unique without regard to case: the unique indexes are on lower(name), which is
// also the listing order (ties broken by the name itself, then the id). Names are ASCII by model
// pattern, so lower() agrees with SQLite's; COLLATE "C" makes the order bytewise as on SQLite.
export const postgresIdentityMigrations: readonly Migration[] = [
  {
    version: 200,
    description: "IAM entities, policies, attachments, STS sessions",
    sql: `
CREATE TABLE iam_entities (
  id text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL CHECK (kind IN ('user', 'group', 'role')),
  name text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  arn text COLLATE "C" NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  attrs text NOT NULL
);
CREATE UNIQUE INDEX iam_entities_by_name ON iam_entities (account_id, kind, lower(name));

CREATE TABLE iam_group_members (
  group_id text COLLATE "C" NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  user_id text COLLATE "C" NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_by_user ON iam_group_members (user_id, group_id);

CREATE TABLE iam_inline_policies (
  owner_id text COLLATE "C" NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  policy_name text COLLATE "C" NOT NULL,
  document text NOT NULL,
  PRIMARY KEY (owner_id, policy_name)
);

CREATE TABLE iam_policies (
  arn text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL UNIQUE,
  name text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  default_version text COLLATE "C" NOT NULL,
  next_version bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  attrs text NOT NULL
);
CREATE UNIQUE INDEX iam_policies_by_name ON iam_policies (account_id, lower(name));

CREATE TABLE iam_policy_versions (
  policy_arn text COLLATE "C" NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
  version_id text COLLATE "C" NOT NULL,
  document text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);

-- policy_arn has no foreign key: AWS managed policies (arn:aws:iam::aws:policy/…) are not rows.
CREATE TABLE iam_attachments (
  owner_id text COLLATE "C" NOT NULL REFERENCES iam_entities (id) ON DELETE CASCADE,
  policy_arn text COLLATE "C" NOT NULL,
  PRIMARY KEY (owner_id, policy_arn)
);
CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn, owner_id);

CREATE INDEX access_keys_by_principal ON access_keys (principal_arn, created_at);

CREATE TABLE sts_sessions (
  access_key_id text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL,
  token_hash text COLLATE "C" NOT NULL,
  sealed_secret bytea NOT NULL,
  role_arn text COLLATE "C" NOT NULL,
  role_id text COLLATE "C" NOT NULL,
  session_name text COLLATE "C" NOT NULL,
  issued_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  attrs text NOT NULL
);
CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);

CREATE TABLE iam_generation (
  id integer PRIMARY KEY CHECK (id = 1),
  value bigint NOT NULL
);
INSERT INTO iam_generation (id, value) VALUES (1, 0);
`,
  },
];
