// PostgreSQL implementation of AuditOps (see ../audit-ops.ts). Several processes may append to
// one store: inside a transaction chainHead() locks the head row (FOR UPDATE) until COMMIT, so
// appends form one chain in commit order. Appenders take that lock last, after any secret rows,
// so the lock order is the same everywhere and cannot deadlock.
import type { QueryResultRow } from "pg";
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
import { extraResourceKeysOf, resourcesText, lookupParams } from "../audit-ops.js";
import { UniqueViolationError } from "../store.js";
import type { Execute } from "./pg-ops.js";

const q = (name: string, text: string) => ({ name: `coffer_audit_${name}`, text });

const LOOKUP_COLUMNS =
  "seq, event_time, event_id, event_name, event_source, username, access_key_id, read_only, resources, record";
// The statements of sqlite/audit-ops.ts, written with ? and numbered here; parameters come from
// lookupParams() in the same order.
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};
const RANGE = "event_time >= ? AND event_time <= ? AND (event_time, seq) < (?, ?)";
const ORDER = "ORDER BY event_time DESC, seq DESC LIMIT ?";
const byColumn = (name: string, condition: string) =>
  q(`lookup_${name}`, numbered(`SELECT ${LOOKUP_COLUMNS} FROM audit_records WHERE account_id = ? AND region = ? AND ${condition} AND ${RANGE} ${ORDER}`));
const branch = (from: string, condition: string) =>
  `SELECT seq FROM (SELECT seq FROM ${from} WHERE account_id = ? AND region = ? AND ${condition} AND ${RANGE} ${ORDER}) AS b`;
const byResource = (name: string, ...branches: string[]) =>
  q(
    `lookup_${name}`,
    numbered(`SELECT ${LOOKUP_COLUMNS} FROM audit_records WHERE seq IN (${branches.join(" UNION ")}) ORDER BY event_time DESC, seq DESC LIMIT ?`),
  );

const LOOKUP: Record<AuditLookupKey | "all", { name: string; text: string }> = {
  all: q("lookup_all", numbered(`SELECT ${LOOKUP_COLUMNS} FROM audit_records WHERE account_id = ? AND region = ? AND ${RANGE} ${ORDER}`)),
  EventName: byColumn("event_name", "event_name = ?"),
  Username: byColumn("username", "username = ?"),
  AccessKeyId: byColumn("access_key_id", "access_key_id = ?"),
  EventSource: byColumn("event_source", "event_source = ?"),
  ReadOnly: byColumn("read_only", "read_only = ?"),
  EventId: byColumn("event_id", "event_id = ?"),
  ResourceName: byResource(
    "resource_name",
    branch("audit_records", "resource_name = ?"),
    branch("audit_records", "resource_name >= ? AND resource_name < ? AND length(resource_name) = ?"),
    branch("audit_resource_keys", "kind = 'name' AND value = ?"),
  ),
  ResourceType: byResource(
    "resource_type",
    branch("audit_records", "resource_type = ?"),
    branch("audit_resource_keys", "kind = 'type' AND value = ?"),
  ),
};

const Q = {
  chainHead: q("chain_head", "SELECT seq, hash FROM audit_chain_head WHERE id = 1"),
  chainHeadLocked: q("chain_head_locked", "SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE"),
  setChainHead: q("set_chain_head", "UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1"),
  // One statement per batch, whatever its size: the rows travel as arrays.
  insertRecords: q(
    "insert_records",
    `INSERT INTO audit_records (seq, prev_hash, hash, event_time, account_id, region, event_id, event_name, event_source,
       username, access_key_id, read_only, resource_type, resource_name, resources, record)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[], $15::text[], $16::text[])`,
  ),
  insertResourceKeys: q(
    "insert_resource_keys",
    `INSERT INTO audit_resource_keys (account_id, region, kind, value, event_time, seq)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) ON CONFLICT DO NOTHING`,
  ),
  readRecords: q(
    "read_records",
    "SELECT seq, prev_hash, hash, event_time, record FROM audit_records WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
  ),
  recordBounds: q("record_bounds", "SELECT MIN(seq) AS first, MAX(seq) AS last FROM audit_records"),
  deleteUpperBound: q(
    "delete_upper_bound",
    "SELECT MAX(seq) AS upper FROM (SELECT seq FROM audit_records WHERE seq <= $1 ORDER BY seq LIMIT $2) AS oldest",
  ),
  deleteRecords: q("delete_records", "DELETE FROM audit_records WHERE seq <= $1"),
  deleteResourceKeys: q("delete_resource_keys", "DELETE FROM audit_resource_keys WHERE seq <= $1"),
  insertDigest: q(
    "insert_digest",
    "INSERT INTO audit_digests (id, first_seq, last_seq, end_time, digest) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
  ),
  latestDigest: q("latest_digest", "SELECT id, first_seq, last_seq, end_time, digest FROM audit_digests ORDER BY id DESC LIMIT 1"),
  latestDigestWithin: q(
    "latest_digest_within",
    "SELECT id, first_seq, last_seq, end_time, digest FROM audit_digests WHERE end_time <= $1 AND last_seq <= $2 ORDER BY id DESC LIMIT 1",
  ),
  listDigests: q(
    "list_digests",
    "SELECT id, first_seq, last_seq, end_time, digest FROM audit_digests WHERE id > $1 ORDER BY id LIMIT $2",
  ),
  listSigningKeys: q(
    "list_signing_keys",
    "SELECT fingerprint, public_key_pem, wrapped_private_key, created_at FROM audit_signing_keys ORDER BY created_at, fingerprint",
  ),
  insertSigningKey: q(
    "insert_signing_key",
    `INSERT INTO audit_signing_keys (fingerprint, public_key_pem, wrapped_private_key, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
  ),
  getCursor: q("get_cursor", "SELECT name, seq, updated_at FROM audit_cursors WHERE name = $1"),
  putCursor: q(
    "put_cursor",
    `INSERT INTO audit_cursors (name, seq, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
  ),
  listCursors: q("list_cursors", "SELECT name, seq, updated_at FROM audit_cursors ORDER BY name"),
};

// node-postgres hands bigint back as text; seqs and times stay far below 2^53.
const num = (value: unknown): number => Number(value);

const toDigest = (r: QueryResultRow): AuditDigestRow => ({
  id: num(r.id),
  firstSeq: num(r.first_seq),
  lastSeq: num(r.last_seq),
  endTime: num(r.end_time),
  digest: r.digest as string,
});

const toCursor = (r: QueryResultRow): AuditCursorRow => ({
  name: r.name as string,
  seq: num(r.seq),
  updatedAt: num(r.updated_at),
});

export class PgAuditOps implements AuditOps {
  /** @param lockRows inside a transaction, lookups that precede an update take a row lock. */
  constructor(
    protected readonly execute: Execute,
    protected readonly lockRows: boolean,
  ) {}

  private async rows(query: { name: string; text: string }, values: unknown[]): Promise<QueryResultRow[]> {
    return (await this.execute({ ...query, values })).rows;
  }

  async chainHead(): Promise<AuditChainHead> {
    const [r] = await this.rows(this.lockRows ? Q.chainHeadLocked : Q.chainHead, []);
    if (!r) throw new Error("the audit chain head row is missing");
    return { seq: num(r.seq), hash: r.hash as string };
  }

  async appendRecords(rows: readonly AuditRecordRow[]): Promise<void> {
    const last = rows.at(-1);
    if (!last) return;
    const columns: unknown[][] = Array.from({ length: 16 }, () => []);
    const keys: unknown[][] = Array.from({ length: 6 }, () => []);
    for (const row of rows) {
      const values = [
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
        row.readOnly,
        row.resources[0]?.type ?? null,
        row.resources[0]?.name ?? null,
        resourcesText(row.resources),
        row.record,
      ];
      values.forEach((value, i) => (columns[i] as unknown[]).push(value));
      for (const key of extraResourceKeysOf(row)) {
        [row.accountId, row.region, key.kind, key.value, row.eventTime, row.seq].forEach((value, i) =>
          (keys[i] as unknown[]).push(value),
        );
      }
    }
    await this.execute({ ...Q.insertRecords, values: columns });
    if ((keys[0] as unknown[]).length > 0) await this.execute({ ...Q.insertResourceKeys, values: keys });
    await this.execute({ ...Q.setChainHead, values: [last.seq, last.hash] });
  }

  async readRecords(afterSeq: number, limit: number, throughSeq = Number.MAX_SAFE_INTEGER): Promise<StoredAuditRecord[]> {
    const rows = await this.rows(Q.readRecords, [afterSeq, throughSeq, limit]);
    return rows.map((r) => ({
      seq: num(r.seq),
      prevHash: r.prev_hash as string,
      hash: r.hash as string,
      eventTime: num(r.event_time),
      record: r.record as string,
    }));
  }

  async recordBounds(): Promise<{ firstSeq: number; lastSeq: number } | undefined> {
    const [r] = await this.rows(Q.recordBounds, []);
    return r?.first === null || r?.first === undefined ? undefined : { firstSeq: num(r.first), lastSeq: num(r.last) };
  }

  async lookupRecords(query: AuditLookupQuery): Promise<AuditLookupRow[]> {
    const values = lookupParams(query, (readOnly) => readOnly);
    const rows = await this.rows(LOOKUP[query.attribute?.key ?? "all"], values);
    return rows.map((r) => ({
      seq: num(r.seq),
      eventTime: num(r.event_time),
      eventId: r.event_id as string,
      eventName: r.event_name as string,
      eventSource: r.event_source as string,
      username: r.username as string | null,
      accessKeyId: r.access_key_id as string | null,
      readOnly: r.read_only as boolean,
      resources: JSON.parse(r.resources as string) as AuditLookupRow["resources"],
      record: r.record as string,
    }));
  }

  async deleteRecordsThrough(throughSeq: number, limit: number): Promise<number> {
    const [r] = await this.rows(Q.deleteUpperBound, [throughSeq, limit]);
    if (r?.upper === null || r?.upper === undefined) return 0;
    await this.execute({ ...Q.deleteResourceKeys, values: [r.upper] });
    return (await this.execute({ ...Q.deleteRecords, values: [r.upper] })).rowCount ?? 0;
  }

  /** PostgreSQL keeps its lookup indexes up to date with every insert. */
  async indexForLookup(): Promise<number> {
    return 0;
  }

  async insertDigest(row: AuditDigestRow): Promise<void> {
    const result = await this.execute({ ...Q.insertDigest, values: [row.id, row.firstSeq, row.lastSeq, row.endTime, row.digest] });
    if (result.rowCount === 0) throw new UniqueViolationError(`audit digest ${row.id}`);
  }

  async latestDigest(): Promise<AuditDigestRow | undefined> {
    const [r] = await this.rows(Q.latestDigest, []);
    return r && toDigest(r);
  }

  async latestDigestWithin(endTime: number, lastSeq: number): Promise<AuditDigestRow | undefined> {
    const [r] = await this.rows(Q.latestDigestWithin, [endTime, lastSeq]);
    return r && toDigest(r);
  }

  async listDigests(afterId: number, limit: number): Promise<AuditDigestRow[]> {
    return (await this.rows(Q.listDigests, [afterId, limit])).map(toDigest);
  }

  async listSigningKeys(): Promise<AuditSigningKeyRow[]> {
    return (await this.rows(Q.listSigningKeys, [])).map((r) => ({
      fingerprint: r.fingerprint as string,
      publicKeyPem: r.public_key_pem as string,
      wrappedPrivateKey: r.wrapped_private_key as Buffer,
      createdAt: num(r.created_at),
    }));
  }

  async insertSigningKey(row: AuditSigningKeyRow): Promise<void> {
    const result = await this.execute({
      ...Q.insertSigningKey,
      values: [row.fingerprint, row.publicKeyPem, row.wrappedPrivateKey, row.createdAt],
    });
    if (result.rowCount === 0) throw new UniqueViolationError(`audit signing key ${row.fingerprint}`);
  }

  async getCursor(name: string): Promise<AuditCursorRow | undefined> {
    const [r] = await this.rows(Q.getCursor, [name]);
    return r && toCursor(r);
  }

  async putCursor(row: AuditCursorRow): Promise<void> {
    await this.execute({ ...Q.putCursor, values: [row.name, row.seq, row.updatedAt] });
  }

  async listCursors(): Promise<AuditCursorRow[]> {
    return (await this.rows(Q.listCursors, [])).map(toCursor);
  }
}
