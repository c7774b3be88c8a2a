// SQLite schema steps for the audit trail (CloudTrail records, chain, digests, sink cursors).
// Versions 100–199 belong here.
import type { Migration } from "./migration.js";

export const sqliteAuditMigrations: readonly Migration[] = [
  {
    version: 100,
    description: "audit trail",
    sql: `
-- One row per record, in chain order. The record itself is JSON text; the other columns are
-- what LookupEvents searches, each index ending in event_time and the rowid (seq): its
-- newest-first order. EventSource, ReadOnly and ResourceType have a handful of values: the time
-- index serves them.
CREATE TABLE audit_records (
  seq INTEGER NOT NULL PRIMARY KEY,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_source TEXT NOT NULL,
  username TEXT,
  access_key_id TEXT,
  read_only INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  resource_type TEXT,
  resource_name TEXT,
  resources TEXT NOT NULL,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX audit_records_by_time ON audit_records (account_id, region, event_time);
CREATE INDEX audit_records_by_event_name ON audit_records (account_id, region, event_name, event_time);
CREATE INDEX audit_records_by_username ON audit_records (account_id, region, username, event_time);
CREATE INDEX audit_records_by_access_key ON audit_records (account_id, region, access_key_id, event_time);
CREATE INDEX audit_records_by_event_id ON audit_records (event_id);
CREATE INDEX audit_records_by_resource_name ON audit_records (account_id, region, resource_name, event_time);

-- The resources of a record beyond its first (which has columns), for ResourceName / ResourceType:
-- one row per further distinct name or type. Most records have none.
CREATE TABLE audit_resource_keys (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('name', 'type')),
  value TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, kind, value, event_time, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX audit_resource_keys_by_seq ON audit_resource_keys (seq);

-- The chain's last link. It outlives the records retention deletes, so the chain continues.
CREATE TABLE audit_chain_head (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '${"0".repeat(64)}');

CREATE TABLE audit_digests (
  id INTEGER NOT NULL PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  digest TEXT NOT NULL
) STRICT;

CREATE TABLE audit_signing_keys (
  fingerprint TEXT NOT NULL PRIMARY KEY,
  public_key_pem TEXT NOT NULL,
  wrapped_private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_cursors (
  name TEXT NOT NULL PRIMARY KEY,
  seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`,
  },
  {
    version: 101,
    description: "audit lookup index built in batches",
    sql: `
-- Six indexes kept up to date by every insert made storing a record cost more than the rest of
-- storing it. The columns LookupEvents searches are copied, in batches of thousands, into
-- audit_lookup, which carries those indexes; audit_records keeps only its primary key. Records
-- past audit_lookup_head.seq are not copied yet (at most a few seconds' worth): lookups scan
-- them directly.
DROP INDEX audit_records_by_time;
DROP INDEX audit_records_by_event_name;
DROP INDEX audit_records_by_username;
DROP INDEX audit_records_by_access_key;
DROP INDEX audit_records_by_event_id;
DROP INDEX audit_records_by_resource_name;
CREATE TABLE audit_lookup (
  seq INTEGER NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_source TEXT NOT NULL,
  username TEXT,
  access_key_id TEXT,
  read_only INTEGER NOT NULL,
  resource_type TEXT,
  resource_name TEXT
) STRICT;
CREATE INDEX audit_lookup_by_time ON audit_lookup (account_id, region, event_time);
CREATE INDEX audit_lookup_by_event_name ON audit_lookup (account_id, region, event_name, event_time);
CREATE INDEX audit_lookup_by_username ON audit_lookup (account_id, region, username, event_time);
CREATE INDEX audit_lookup_by_access_key ON audit_lookup (account_id, region, access_key_id, event_time);
CREATE INDEX audit_lookup_by_event_id ON audit_lookup (event_id);
CREATE INDEX audit_lookup_by_resource_name ON audit_lookup (account_id, region, resource_name, event_time);
CREATE TABLE audit_lookup_head (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
) STRICT;
INSERT INTO audit_lookup (seq, account_id, region, event_time, event_id, event_name, event_source, username, access_key_id, read_only, resource_type, resource_name) SELECT seq, account_id, region, event_time, event_id, event_name, event_source, username, access_key_id, read_only, resource_type, resource_name FROM audit_records;
INSERT INTO audit_lookup_head (id, seq) VALUES (1, COALESCE((SELECT MAX(seq) FROM audit_records), 0));
`,
  },
];
