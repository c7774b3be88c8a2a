// SQLite implementation of AuditOps (see ../audit-ops.ts). Appends run on the writer connection,
// whose write lock (BEGIN IMMEDIATE) already serialises every appender of every process, so the
// chain head needs no lock of its own here.
import type {
  AuditChainHead,
  AuditCursorRow,
  AuditDigestRow,
  AuditLookupKey,
  AuditLookupQuery,
  AuditLookupRow,
  AuditOps,
  AuditRecordRow,
  AuditSigningKeyRow,
  StoredAuditRecord,
} from "../audit-ops.js";
import { extraResourceKeysOf, resourcesText, lookupBranches } from "../audit-ops.js";
import { UniqueViolationError } from "../store.js";
import type { Statement, StatementCache } from "./connection.js";

const LOOKUP_COLUMNS =
  "seq, event_time, event_id, event_name, event_source, username, access_key_id, read_only, resources, record";

// One fixed statement per lookup attribute. The searched columns are indexed in audit_lookup,
// filled in batches (indexForLookup); the few records past its head are scanned in audit_records
// itself. So each condition is one branch over both, each part walking newest first from the
// paging position. Parameters of a column branch: account, region, [values], start, end, before
// time, before seq, limit; once for the indexed part and once for the rest.
const RANGE = "event_time >= ? AND event_time <= ? AND (event_time, seq) < (?, ?)";
const ORDER = "ORDER BY event_time DESC, seq DESC LIMIT ?";
const NOT_INDEXED_YET = "seq > (SELECT seq FROM audit_lookup_head WHERE id = 1)";
const columnBranch = (condition: string) =>
  `SELECT seq FROM (SELECT seq FROM audit_lookup WHERE account_id = ? AND region = ? AND ${condition} AND ${RANGE} ${ORDER}) ` +
  `UNION ALL SELECT seq FROM (SELECT seq FROM audit_records WHERE ${NOT_INDEXED_YET} AND account_id = ? AND region = ? AND ${condition} AND ${RANGE} ${ORDER})`;
// A record's first resource is in columns, further ones in audit_resource_keys (written with the
// record: most records have none). ResourceName also takes a name range (how a secret's name
// finds its ARN).
const keysBranch = (condition: string) =>
  `SELECT seq FROM (SELECT seq FROM audit_resource_keys WHERE account_id = ? AND region = ? AND ${condition} AND ${RANGE} ${ORDER})`;
const lookup = (...branches: string[]) =>
  `SELECT ${LOOKUP_COLUMNS} FROM audit_records WHERE seq IN (${branches.join(" UNION ")}) ORDER BY event_time DESC, seq DESC LIMIT ?`;

const LOOKUP: Record<AuditLookupKey | "all", string> = {
  all: lookup(columnBranch("1")),
  EventName: lookup(columnBranch("event_name = ?")),
  Username: lookup(columnBranch("username = ?")),
  AccessKeyId: lookup(columnBranch("access_key_id = ?")),
  EventSource: lookup(columnBranch("event_source = ?")),
  ReadOnly: lookup(columnBranch("read_only = ?")),
  EventId: lookup(columnBranch("event_id = ?")),
  ResourceName: lookup(
    columnBranch("resource_name = ?"),
    columnBranch("resource_name >= ? AND resource_name < ? AND length(resource_name) = ?"),
    keysBranch("kind = 'name' AND value = ?"),
  ),
  ResourceType: lookup(columnBranch("resource_type = ?"), keysBranch("kind = 'type' AND value = ?")),
};

/** The parameters of LOOKUP[key] for `query`: each column branch twice (indexed part, then the rest). */
function lookupStatementParams(query: AuditLookupQuery): unknown[] {
  const { columns, keys } = lookupBranches(query, (readOnly) => (readOnly ? 1 : 0));
  return [...columns.flatMap((branch) => [...branch, ...branch]), ...keys.flat(), query.limit];
}

const LOOKUP_INDEX_COLUMNS =
  "seq, account_id, region, event_time, event_id, event_name, event_source, username, access_key_id, read_only, resource_type, resource_name";

const SQL = {
  chainHead: "SELECT seq, hash FROM audit_chain_head WHERE id = 1",
  setChainHead: "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1",
  insertRecord: `INSERT INTO audit_records (seq, prev_hash, hash, event_time, account_id, region, event_id, event_name,
    event_source, username, access_key_id, read_only, resource_type, resource_name, resources, record)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertResourceKey: `INSERT OR IGNORE INTO audit_resource_keys (account_id, region, kind, value, event_time, seq)
    VALUES (?, ?, ?, ?, ?, ?)`,
  readRecords: "SELECT seq, prev_hash, hash, event_time, record FROM audit_records WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
  recordBounds: "SELECT MIN(seq) AS first, MAX(seq) AS last FROM audit_records",
  deleteUpperBound: "SELECT MAX(seq) AS upper FROM (SELECT seq FROM audit_records WHERE seq <= ? ORDER BY seq LIMIT ?)",
  deleteRecords: "DELETE FROM audit_records WHERE seq <= ?",
  deleteLookupRows: "DELETE FROM audit_lookup WHERE seq <= ?",
  lookupHead: "SELECT seq FROM audit_lookup_head WHERE id = 1",
  indexUpperBound: "SELECT MAX(seq) AS upper FROM (SELECT seq FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?)",
  indexRecords: `INSERT INTO audit_lookup (${LOOKUP_INDEX_COLUMNS}) SELECT ${LOOKUP_INDEX_COLUMNS} FROM audit_records WHERE seq > ? AND seq <= ?`,
  setLookupHead: "UPDATE audit_lookup_head SET seq = ? WHERE id = 1",
  deleteResourceKeys: "DELETE FROM audit_resource_keys WHERE seq <= ?",
  insertDigest: "INSERT INTO audit_digests (id, first_seq, last_seq, end_time, digest) VALUES (?, ?, ?, ?, ?)",
  latestDigest: "SELECT id, first_seq, last_seq, end_time, digest FROM audit_digests ORDER BY id DESC LIMIT 1",
  latestDigestWithin:
    "SELECT id, first_seq, last_seq, end_time, digest FROM audit_digests WHERE end_time <= ? AND last_seq <= ? ORDER BY id DESC LIMIT 1",
  listDigests: "SELECT id, first_seq, last_seq, end_time, digest FROM audit_digests WHERE id > ? ORDER BY id LIMIT ?",
  listSigningKeys:
    "SELECT fingerprint, public_key_pem, wrapped_private_key, created_at FROM audit_signing_keys ORDER BY created_at, fingerprint",
  insertSigningKey:
    "INSERT INTO audit_signing_keys (fingerprint, public_key_pem, wrapped_private_key, created_at) VALUES (?, ?, ?, ?)",
  getCursor: "SELECT name, seq, updated_at FROM audit_cursors WHERE name = ?",
  putCursor: `INSERT INTO audit_cursors (name, seq, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
  listCursors: "SELECT name, seq, updated_at FROM audit_cursors ORDER BY name",
} as const;

interface LookupRecord {
  seq: number;
  event_time: number;
  event_id: string;
  event_name: string;
  event_source: string;
  username: string | null;
  access_key_id: string | null;
  read_only: number;
  resources: string;
  record: string;
}

interface DigestRecord {
  id: number;
  first_seq: number;
  last_seq: number;
  end_time: number;
  digest: string;
}

const toDigest = (r: DigestRecord): AuditDigestRow => ({
  id: r.id,
  firstSeq: r.first_seq,
  lastSeq: r.last_seq,
  endTime: r.end_time,
  digest: r.digest,
});

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

export class SqliteAuditOps implements AuditOps {
  constructor(
    protected readonly statements: StatementCache,
    protected readonly assertUsable: () => void,
  ) {}

  private st(sql: string): Statement {
    this.assertUsable();
    return this.statements.get(sql);
  }

  async chainHead(): Promise<AuditChainHead> {
    const r = this.st(SQL.chainHead).get() as AuditChainHead | undefined;
    if (!r) throw new Error("the audit chain head row is missing");
    return { seq: r.seq, hash: r.hash };
  }

  async appendRecords(rows: readonly AuditRecordRow[]): Promise<void> {
    const last = rows.at(-1);
    if (!last) return;
    const insert = this.st(SQL.insertRecord);
    const insertKey = this.st(SQL.insertResourceKey);
    for (const row of rows) {
      insert.run(
        row.seq,
        row.prevHash,
        row.hash,
        row.eventTime,
        row.accountId,
        row.region,
        row.eventId,
        row.eventName,
        row.eventSource,
        row.username,
        row.accessKeyId,
        row.readOnly ? 1 : 0,
        row.resources[0]?.type ?? null,
        row.resources[0]?.name ?? null,
        resourcesText(row.resources),
        row.record,
      );
      for (const key of extraResourceKeysOf(row)) {
        insertKey.run(row.accountId, row.region, key.kind, key.value, row.eventTime, row.seq);
      }
    }
    this.st(SQL.setChainHead).run(last.seq, last.hash);
  }

  async readRecords(afterSeq: number, limit: number, throughSeq = Number.MAX_SAFE_INTEGER): Promise<StoredAuditRecord[]> {
    const rows = this.st(SQL.readRecords).all(afterSeq, throughSeq, limit) as Array<{
      seq: number;
      prev_hash: string;
      hash: string;
      event_time: number;
      record: string;
    }>;
    return rows.map((r) => ({ seq: r.seq, prevHash: r.prev_hash, hash: r.hash, eventTime: r.event_time, record: r.record }));
  }

  async recordBounds(): Promise<{ firstSeq: number; lastSeq: number } | undefined> {
    const r = this.st(SQL.recordBounds).get() as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? undefined : { firstSeq: r.first, lastSeq: r.last };
  }

  async lookupRecords(query: AuditLookupQuery): Promise<AuditLookupRow[]> {
    const rows = this.st(LOOKUP[query.attribute?.key ?? "all"]).all(...lookupStatementParams(query)) as LookupRecord[];
    return rows.map((r) => ({
      seq: r.seq,
      eventTime: r.event_time,
      eventId: r.event_id,
      eventName: r.event_name,
      eventSource: r.event_source,
      username: r.username,
      accessKeyId: r.access_key_id,
      readOnly: r.read_only === 1,
      resources: JSON.parse(r.resources) as AuditLookupRow["resources"],
      record: r.record,
    }));
  }

  async deleteRecordsThrough(throughSeq: number, limit: number): Promise<number> {
    const { upper } = this.st(SQL.deleteUpperBound).get(throughSeq, limit) as { upper: number | null };
    if (upper === null) return 0;
    this.st(SQL.deleteResourceKeys).run(upper);
    this.st(SQL.deleteLookupRows).run(upper);
    return this.st(SQL.deleteRecords).run(upper).changes;
  }

  async indexForLookup(maxRecords: number): Promise<number> {
    const head = this.st(SQL.lookupHead).pluck().get() as number;
    const { upper } = this.st(SQL.indexUpperBound).get(head, maxRecords) as { upper: number | null };
    if (upper === null) return 0;
    const indexed = this.st(SQL.indexRecords).run(head, upper).changes;
    this.st(SQL.setLookupHead).run(upper);
    return indexed;
  }

  async insertDigest(row: AuditDigestRow): Promise<void> {
    try {
      this.st(SQL.insertDigest).run(row.id, row.firstSeq, row.lastSeq, row.endTime, row.digest);
    } catch (err) {
      if (isUniqueViolation(err)) throw new UniqueViolationError(`audit digest ${row.id}`);
      throw err;
    }
  }

  async latestDigest(): Promise<AuditDigestRow | undefined> {
    const r = this.st(SQL.latestDigest).get() as DigestRecord | undefined;
    return r && toDigest(r);
  }

  async latestDigestWithin(endTime: number, lastSeq: number): Promise<AuditDigestRow | undefined> {
    const r = this.st(SQL.latestDigestWithin).get(endTime, lastSeq) as DigestRecord | undefined;
    return r && toDigest(r);
  }

  async listDigests(afterId: number, limit: number): Promise<AuditDigestRow[]> {
    return (this.st(SQL.listDigests).all(afterId, limit) as DigestRecord[]).map(toDigest);
  }

  async listSigningKeys(): Promise<AuditSigningKeyRow[]> {
    const rows = this.st(SQL.listSigningKeys).all() as Array<{
      fingerprint: string;
      public_key_pem: string;
      wrapped_private_key: Buffer;
      created_at: number;
    }>;
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      publicKeyPem: r.public_key_pem,
      wrappedPrivateKey: r.wrapped_private_key,
      createdAt: r.created_at,
    }));
  }

  async insertSigningKey(row: AuditSigningKeyRow): Promise<void> {
    try {
      this.st(SQL.insertSigningKey).run(row.fingerprint, row.publicKeyPem, row.wrappedPrivateKey, row.createdAt);
    } catch (err) {
      if (isUniqueViolation(err)) throw new UniqueViolationError(`audit signing key ${row.fingerprint}`);
      throw err;
    }
  }

  async getCursor(name: string): Promise<AuditCursorRow | undefined> {
    const r = this.st(SQL.getCursor).get(name) as { name: string; seq: number; updated_at: number } | undefined;
    return r && { name: r.name, seq: r.seq, updatedAt: r.updated_at };
  }

  async putCursor(row: AuditCursorRow): Promise<void> {
    this.st(SQL.putCursor).run(row.name, row.seq, row.updatedAt);
  }

  async listCursors(): Promise<AuditCursorRow[]> {
    const rows = this.st(SQL.listCursors).all() as Array<{ name: string; seq: number; updated_at: number }>;
    return rows.map((r) => ({ name: r.name, seq: r.seq, updatedAt: r.updated_at }));
  }
}
