// Appending records to the chain. The costly part (serialising a record twice: JSON text as
// stored and canonical JSON for the hash) is done once per record before the chain lock is
// taken; inside the lock only the hashes are chained.
import type { AuditOps, AuditRecordRow } from "../store/audit-ops.js";
import { canonicalJson, type ChainLink, linkedHash } from "./chain.js";
import type { LookupResources } from "./lookup-resources.js";
import type { CloudTrailRecord } from "./record.js";

/** A record ready to be appended: everything but its place in the chain. */
export interface PreparedRecord {
  json: string;
  canonical: string;
  eventTime: number;
  accountId: string;
  region: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  username: string | null;
  accessKeyId: string | null;
  readOnly: boolean;
  lookup: LookupResources;
}

/** LookupEvents' Username: the user, the role session, "root" for the account (§6.6). */
export function usernameOf(record: CloudTrailRecord): string | null {
  const identity = record.userIdentity;
  switch (identity.type) {
    case "Root":
      return identity.userName ?? "root";
    case "IAMUser":
      return identity.userName ?? null;
    case "AssumedRole": {
      const id = identity.principalId ?? "";
      return id.includes(":") ? id.slice(id.indexOf(":") + 1) : identity.arn?.slice(identity.arn.lastIndexOf("/") + 1) ?? null;
    }
    case "AWSService":
      return identity.invokedBy ?? null;
    default:
      return null;
  }
}

export function prepareRecord(record: CloudTrailRecord, lookup: LookupResources): PreparedRecord {
  return {
    json: JSON.stringify(record),
    canonical: canonicalJson(record),
    eventTime: Date.parse(record.eventTime),
    accountId: record.recipientAccountId,
    region: record.awsRegion,
    eventId: record.eventID,
    eventName: record.eventName,
    eventSource: record.eventSource,
    username: usernameOf(record),
    accessKeyId: record.userIdentity.accessKeyId || null,
    readOnly: record.readOnly,
    lookup,
  };
}

/** The stored rows of `prepared`, chained after `head`. */
export function linkRecords(head: ChainLink, prepared: readonly PreparedRecord[]): AuditRecordRow[] {
  let prev = head;
  return prepared.map((p) => {
    const seq = prev.seq + 1;
    const hash = linkedHash(seq, prev.hash, p.canonical);
    const row: AuditRecordRow = {
      seq,
      prevHash: prev.hash,
      hash,
      eventTime: p.eventTime,
      accountId: p.accountId,
      region: p.region,
      eventId: p.eventId,
      eventName: p.eventName,
      eventSource: p.eventSource,
      username: p.username,
      accessKeyId: p.accessKeyId,
      readOnly: p.readOnly,
      resources: p.lookup.resources,
      lookupNames: p.lookup.lookupNames,
      record: p.json,
    };
    prev = { seq, hash };
    return row;
  });
}

/**
 * Appends inside the caller's transaction: takes the chain lock (chainHead), links, inserts.
 * Returns the new head.
 */
export async function appendPrepared(ops: AuditOps, prepared: readonly PreparedRecord[]): Promise<ChainLink> {
  const head = await ops.chainHead();
  if (prepared.length === 0) return head;
  const rows = linkRecords(head, prepared);
  await ops.appendRecords(rows);
  const last = rows[rows.length - 1] as AuditRecordRow;
  return { seq: last.seq, hash: last.hash };
}
