// The storage contract for the audit trail: chained CloudTrail records with the columns
// LookupEvents searches, the chain head, signed digests, the digest signing key (sealed under the
// root key) and the cursors of the sinks. Part of every StoreOps as `ops.audit`: inside a
// transaction it writes in that transaction; on the Store itself it serves plain reads.
// Each backend implements it in <backend>/audit-ops.ts and both pass audit.contract.ts.
//
// The store keeps records as opaque JSON text and never computes or checks a hash: chaining is
// src/audit's business. Times are integer milliseconds.

/** A link of the chain: a record's sequence number and hash (seq 0 = before the first record). */
export interface AuditChainHead {
  seq: number;
  hash: string;
}

/** A resource as LookupEvents lists it in an event's Resources. */
export interface AuditResourceRef {
  type: string;
  name: string;
}

/** One stored record with what LookupEvents needs to find it. */
export interface AuditRecordRow {
  seq: number;
  prevHash: string;
  hash: string;
  /** The record's eventTime, ms. */
  eventTime: number;
  /** recipientAccountId: whose trail the record belongs to. */
  accountId: string;
  /** awsRegion. */
  region: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  username: string | null;
  accessKeyId: string | null;
  readOnly: boolean;
  /**
   * Shown in the LookupEvents event; each is also found by ResourceName and ResourceType. The
   * first is kept in indexed columns, any others in audit_resource_keys.
   */
  resources: AuditResourceRef[];
  /** Further names the record is found by with ResourceName. */
  lookupNames: string[];
  /** The CloudTrail record as JSON text. */
  record: string;
}

/** What chain verification and the sinks read: the chained form of a record. */
export interface StoredAuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
  eventTime: number;
  record: string;
}

export type AuditLookupKey =
  | "EventId"
  | "EventName"
  | "ReadOnly"
  | "Username"
  | "ResourceType"
  | "ResourceName"
  | "EventSource"
  | "AccessKeyId";

export interface AuditLookupQuery {
  accountId: string;
  region: string;
  /**
   * ResourceName also matches names that start with `prefix` and have exactly `suffixLength`
   * more characters (how a secret's name finds its ARN: <arn prefix>:secret:<name>-XXXXXX).
   */
  attribute?: { key: AuditLookupKey; value: string; prefix?: { text: string; suffixLength: number } };
  /** Inclusive bounds on eventTime, ms. */
  startTime?: number;
  endTime?: number;
  /** Keyset paging: only records strictly older than this position (eventTime, then seq). */
  before?: { eventTime: number; seq: number };
  limit: number;
}

/** A record found by LookupEvents, newest first. */
export interface AuditLookupRow {
  seq: number;
  eventTime: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  username: string | null;
  accessKeyId: string | null;
  readOnly: boolean;
  resources: AuditResourceRef[];
  record: string;
}

/** A signed digest (src/audit/digest.ts) with the columns that find it. */
export interface AuditDigestRow {
  /** 1, 2, 3, …: the digests' own order; a second digest for the same place is refused. */
  id: number;
  firstSeq: number;
  lastSeq: number;
  endTime: number;
  /** The digest as JSON text. */
  digest: string;
}

export interface AuditSigningKeyRow {
  /** Hex SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  fingerprint: string;
  publicKeyPem: string;
  /** The PKCS#8 private key wrapped under the root key. */
  wrappedPrivateKey: Buffer;
  createdAt: number;
}

export interface AuditCursorRow {
  name: string;
  /** The last seq the sink has delivered. */
  seq: number;
  updatedAt: number;
}

export interface AuditOps {
  /**
   * The chain's last link ({0, genesis} when nothing was ever appended). Inside a transaction
   * it also takes the chain lock, held to the end of the transaction, so appenders in every
   * process serialise on it (PostgreSQL: FOR UPDATE; SQLite: the writer lock already does).
   */
  chainHead(): Promise<AuditChainHead>;
  /** Inserts chained records (already linked to the head) and moves the head to the last one. */
  appendRecords(rows: readonly AuditRecordRow[]): Promise<void>;
  /** Records with seq > afterSeq (and ≤ throughSeq when given), ascending, at most `limit`. */
  readRecords(afterSeq: number, limit: number, throughSeq?: number): Promise<StoredAuditRecord[]>;
  /** Lowest and highest stored seq, or undefined when no record is stored. */
  recordBounds(): Promise<{ firstSeq: number; lastSeq: number } | undefined>;
  lookupRecords(query: AuditLookupQuery): Promise<AuditLookupRow[]>;
  /** Deletes records with seq ≤ throughSeq (retention); returns how many. */
  deleteRecordsThrough(throughSeq: number, limit: number): Promise<number>;
  /**
   * Adds up to `maxRecords` of the records not yet in the lookup index to it; returns how many.
   * A backend that indexes each record as it is appended has nothing to do (returns 0). Lookups
   * find every record either way; this only keeps the part they must scan short.
   */
  indexForLookup(maxRecords: number): Promise<number>;

  /** Throws UniqueViolationError when a digest with this id exists. */
  insertDigest(row: AuditDigestRow): Promise<void>;
  latestDigest(): Promise<AuditDigestRow | undefined>;
  /** The newest digest with endTime ≤ endTime and lastSeq ≤ lastSeq (what retention may delete through). */
  latestDigestWithin(endTime: number, lastSeq: number): Promise<AuditDigestRow | undefined>;
  /** Digests with id > afterId, ascending. */
  listDigests(afterId: number, limit: number): Promise<AuditDigestRow[]>;

  /** Oldest first. */
  listSigningKeys(): Promise<AuditSigningKeyRow[]>;
  /** Throws UniqueViolationError when the fingerprint exists. */
  insertSigningKey(row: AuditSigningKeyRow): Promise<void>;

  getCursor(name: string): Promise<AuditCursorRow | undefined>;
  putCursor(row: AuditCursorRow): Promise<void>;
  listCursors(): Promise<AuditCursorRow[]>;
}

const resourcesTexts = new WeakMap<readonly AuditResourceRef[], string>();

/**
 * The stored text of a record's resources. Records made from one template (repeated reads) share
 * their resources array, so its text is made once.
 */
export function resourcesText(resources: readonly AuditResourceRef[]): string {
  let text = resourcesTexts.get(resources);
  if (text === undefined) {
    text = JSON.stringify(resources);
    resourcesTexts.set(resources, text);
  }
  return text;
}

/** The ResourceName / ResourceType keys of a record beyond its first resource (which has columns). */
export function extraResourceKeysOf(row: Pick<AuditRecordRow, "resources" | "lookupNames">): Array<{ kind: "name" | "type"; value: string }> {
  if (row.resources.length <= 1 && row.lookupNames.length === 0) return []; // most records
  const [first, ...rest] = row.resources;
  const names = new Set<string>();
  const types = new Set<string>();
  for (const r of rest) {
    names.add(r.name);
    types.add(r.type);
  }
  for (const name of row.lookupNames) names.add(name);
  if (first) {
    names.delete(first.name);
    types.delete(first.type);
  }
  return [
    ...[...names].map((value) => ({ kind: "name" as const, value })),
    ...[...types].map((value) => ({ kind: "type" as const, value })),
  ];
}

/** Sentinels that stand for "no bound" in the fixed lookup statements. */
export const NO_LOWER_TIME = -Number.MAX_SAFE_INTEGER;
export const NO_UPPER = Number.MAX_SAFE_INTEGER;

/** [low, high, length] of the names `prefix` stands for; an empty range when there is none. */
export function nameRange(prefix: { text: string; suffixLength: number } | undefined): [string, string, number] {
  if (!prefix || prefix.text === "") return ["", "", -1];
  const last = prefix.text.charCodeAt(prefix.text.length - 1);
  return [prefix.text, prefix.text.slice(0, -1) + String.fromCharCode(last + 1), prefix.text.length + prefix.suffixLength];
}

/**
 * The parameters of a lookup's branches: per branch the scope (account, region), the attribute's
 * value(s), then the range (start, end, before time, before seq, limit). `columns` search the
 * record's own columns, `keys` its further resources (audit_resource_keys); both backends write
 * their statements with the column branches first.
 */
export function lookupBranches(
  query: AuditLookupQuery,
  readOnly: (value: boolean) => unknown,
): { columns: unknown[][]; keys: unknown[][] } {
  const scope = [query.accountId, query.region];
  const range = [
    query.startTime ?? NO_LOWER_TIME,
    query.endTime ?? NO_UPPER,
    query.before?.eventTime ?? NO_UPPER,
    query.before?.seq ?? NO_UPPER,
    query.limit,
  ];
  const branch = (...values: unknown[]) => [...scope, ...values, ...range];
  const attribute = query.attribute;
  if (!attribute) return { columns: [branch()], keys: [] };
  switch (attribute.key) {
    case "ResourceName":
      return { columns: [branch(attribute.value), branch(...nameRange(attribute.prefix))], keys: [branch(attribute.value)] };
    case "ResourceType":
      return { columns: [branch(attribute.value)], keys: [branch(attribute.value)] };
    case "ReadOnly":
      return { columns: [branch(readOnly(attribute.value === "true"))], keys: [] };
    default:
      return { columns: [branch(attribute.value)], keys: [] };
  }
}

/**
 * The parameters of the fixed lookup statements of a store that indexes every record as it is
 * appended: a lone branch as it is, several ones followed by the overall limit.
 */
export function lookupParams(query: AuditLookupQuery, readOnly: (value: boolean) => unknown): unknown[] {
  const { columns, keys } = lookupBranches(query, readOnly);
  const branches = [...columns, ...keys];
  return branches.length === 1 ? (branches[0] as unknown[]) : [...branches.flat(), query.limit];
}
