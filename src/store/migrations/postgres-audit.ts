// PostgreSQL schema steps for the audit trail (CloudTrail records, chain, digests, sink cursors).
// Versions 100–199 belong here. The same tables as sqlite-audit.ts; see the comments there.
import type { Migration } from "./migration.js";

export const postgresAuditMigrations: readonly Migration[] = [
  {
    version: 100,
    description: "audit trail",
    sql: `
CREATE TABLE audit_records (
  seq bigint PRIMARY KEY,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  event_time bigint NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  region text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  event_name text COLLATE "C" NOT NULL,
  event_source text COLLATE "C" NOT NULL,
  username text COLLATE "C",
  access_key_id text COLLATE "C",
  read_only boolean NOT NULL,
  resource_type text COLLATE "C",
  resource_name text COLLATE "C",
  resources text NOT NULL,
  record text NOT NULL
);
CREATE INDEX audit_records_by_time ON audit_records (account_id, region, event_time, seq);
CREATE INDEX audit_records_by_event_name ON audit_records (account_id, region, event_name, event_time, seq);
CREATE INDEX audit_records_by_username ON audit_records (account_id, region, username, event_time, seq);
CREATE INDEX audit_records_by_access_key ON audit_records (account_id, region, access_key_id, event_time, seq);
CREATE INDEX audit_records_by_event_id ON audit_records (event_id);
CREATE INDEX audit_records_by_resource_name ON audit_records (account_id, region, resource_name, event_time, seq);

CREATE TABLE audit_resource_keys (
  account_id text COLLATE "C" NOT NULL,
  region text COLLATE "C" NOT NULL,
  kind text NOT NULL CHECK (kind IN ('name', 'type')),
  value text COLLATE "C" NOT NULL,
  event_time bigint NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (account_id, region, kind, value, event_time, seq)
);
CREATE INDEX audit_resource_keys_by_seq ON audit_resource_keys (seq);

CREATE TABLE audit_chain_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '${"0".repeat(64)}');

CREATE TABLE audit_digests (
  id bigint PRIMARY KEY,
  first_seq bigint NOT NULL,
  last_seq bigint NOT NULL,
  end_time bigint NOT NULL,
  digest text NOT NULL
);

CREATE TABLE audit_signing_keys (
  fingerprint text COLLATE "C" PRIMARY KEY,
  public_key_pem text NOT NULL,
  wrapped_private_key bytea NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE audit_cursors (
  name text COLLATE "C" PRIMARY KEY,
  seq bigint NOT NULL,
  updated_at bigint NOT NULL
);
`,
  },
];
