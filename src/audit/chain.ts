// Tamper evidence for the stored audit trail: records form a hash chain. Each stored record
// carries a gap-free sequence number, the hash of the record before it, and its own hash:
//
//   hash = hex(SHA-256(canonicalJson({ seq, prevHash, record })))
//
// so changing, dropping, moving or adding a record breaks either its own hash, the next
// record's prevHash or the sequence. A chain starts at seq 1 after GENESIS_HASH. Retention may
// delete a prefix; what remains verifies from the last deleted record's {seq, hash}, which a
// signed digest (digest.ts) keeps.

import { sha256Hex } from "../crypto/sha256.js";
import type { CloudTrailRecord } from "./record.js";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainLink {
  seq: number;
  hash: string;
}

export interface ChainedRecord {
  seq: number;
  prevHash: string;
  hash: string;
  record: CloudTrailRecord;
}

export type ChainProblem = "altered" | "removed" | "reordered" | "inserted";

export type ChainVerdict =
  | { ok: true; count: number }
  | { ok: false; at: number; problem: ChainProblem; detail: string };

export interface VerifyChainOptions {
  /** The link the first record must follow (a digest's lastSeq/lastHash); default: the chain's start. */
  startAfter?: ChainLink;
  /** A link the range must contain (a digest's lastSeq/lastHash): catches a rewritten or cut-off tail. */
  through?: ChainLink;
}

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace: the RFC 8785 ordering
 * and number/string forms (JSON.stringify's), so equal values always hash equally.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot serialise ${typeof value}`);
    return text;
  }
  // Loops rather than map/filter/join: this runs for every record on the request path.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ",";
      out += item === undefined ? "null" : canonicalJson(item);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // Array.prototype.sort's default order compares UTF-16 code units, as RFC 8785 asks.
  const keys = Object.keys(object).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

export { sha256Hex };

export function recordHash(seq: number, prevHash: string, record: unknown): string {
  return sha256Hex(canonicalJson({ seq, prevHash, record }));
}

/**
 * recordHash from the record's canonical JSON, computed once ahead of appending: the canonical
 * form of {seq, prevHash, record} is exactly this text, its keys being in sorted order already.
 */
export function linkedHash(seq: number, prevHash: string, canonicalRecord: string): string {
  return sha256Hex(`{"prevHash":${JSON.stringify(prevHash)},"record":${canonicalRecord},"seq":${seq}}`);
}

/** The stored form of `record`, appended after `prev` (undefined for a chain's first record). */
export function chainRecord(prev: ChainLink | undefined, record: CloudTrailRecord): ChainedRecord {
  const seq = prev === undefined ? 1 : prev.seq + 1;
  const prevHash = prev === undefined ? GENESIS_HASH : prev.hash;
  return { seq, prevHash, hash: recordHash(seq, prevHash, record), record };
}

/**
 * Checks a run of stored records in the order given and names the first break. What each
 * finding means:
 *  - altered: a record's content no longer matches its hash, or a record was rewritten with a
 *    fresh hash so the record after it no longer links to it (then `at` is the rewritten one);
 *  - removed: a sequence number is missing (`at` is the first missing one);
 *  - reordered: a missing sequence number turns up later (`at` is the record out of place);
 *  - inserted: a record that is not part of the chain (a repeated sequence number, one from
 *    before the range start, or a forged record ahead of the genuine one).
 */
export function verifyChain(records: Iterable<ChainedRecord>, opts: VerifyChainOptions = {}): ChainVerdict {
  const all = Array.isArray(records) ? (records as ChainedRecord[]) : [...records];
  const start = opts.startAfter ?? { seq: 0, hash: GENESIS_HASH };
  let prev: ChainLink = start;
  for (let i = 0; i < all.length; i++) {
    const current = all[i] as ChainedRecord;
    if (!wellFormed(current)) {
      return { ok: false, at: prev.seq + 1, problem: "altered", detail: `entry ${i + 1} is not a chained record` };
    }
    if (!follows(current, prev)) return diagnose(all, i, prev, i > 0);
    if (opts.through && current.seq === opts.through.seq && current.hash !== opts.through.hash) {
      return {
        ok: false,
        at: current.seq,
        problem: "altered",
        detail: `record ${current.seq} has hash ${current.hash}, the digest recorded ${opts.through.hash}`,
      };
    }
    prev = { seq: current.seq, hash: current.hash };
  }
  if (opts.through && prev.seq < opts.through.seq) {
    return {
      ok: false,
      at: prev.seq + 1,
      problem: "removed",
      detail: `records ${prev.seq + 1}..${opts.through.seq} are missing from the end of the range`,
    };
  }
  return { ok: true, count: all.length };
}

function follows(current: ChainedRecord, prev: ChainLink): boolean {
  return (
    current.seq === prev.seq + 1 &&
    current.prevHash === prev.hash &&
    recordHash(current.seq, current.prevHash, current.record) === current.hash
  );
}

function wellFormed(entry: unknown): entry is ChainedRecord {
  if (entry === null || typeof entry !== "object") return false;
  const e = entry as Record<string, unknown>;
  return (
    Number.isSafeInteger(e.seq) &&
    (e.seq as number) >= 1 &&
    typeof e.prevHash === "string" &&
    typeof e.hash === "string" &&
    e.record !== null &&
    typeof e.record === "object"
  );
}

function diagnose(all: readonly ChainedRecord[], i: number, prev: ChainLink, prevInRange: boolean): ChainVerdict {
  const current = all[i] as ChainedRecord;
  const expected = prev.seq + 1;
  const next = all[i + 1];

  if (current.seq < expected) {
    const where = prevInRange ? `record ${prev.seq}` : `the range start (seq ${prev.seq})`;
    return {
      ok: false,
      at: current.seq,
      problem: "inserted",
      detail: `a record with seq ${current.seq} appears after ${where}`,
    };
  }

  if (current.seq > expected) {
    const laterIndex = all.findIndex((r, j) => j > i && r.seq === expected);
    if (laterIndex >= 0) {
      // If the run continues from the expected record right after this one, this record was
      // moved forward; otherwise the expected record was moved back.
      const movedForward = next !== undefined && next.seq === expected;
      const at = movedForward ? current.seq : expected;
      return {
        ok: false,
        at,
        problem: "reordered",
        detail: `record ${expected} was expected at position ${i + 1} but record ${current.seq} is there; record ${expected} is at position ${laterIndex + 1}`,
      };
    }
    const last = current.seq - 1;
    return {
      ok: false,
      at: expected,
      problem: "removed",
      detail: expected === last ? `record ${expected} is missing` : `records ${expected}..${last} are missing`,
    };
  }

  // Right sequence number, but the record does not fit here.
  if (next !== undefined && wellFormed(next) && follows(next, prev)) {
    return {
      ok: false,
      at: current.seq,
      problem: "inserted",
      detail: `a record not in the chain precedes the genuine record ${current.seq}`,
    };
  }
  if (recordHash(current.seq, current.prevHash, current.record) !== current.hash) {
    return { ok: false, at: current.seq, problem: "altered", detail: `record ${current.seq} does not match its hash` };
  }
  if (prevInRange) {
    return {
      ok: false,
      at: prev.seq,
      problem: "altered",
      detail: `record ${current.seq} links to ${current.prevHash}, but record ${prev.seq} now hashes to ${prev.hash}: record ${prev.seq} was rewritten (or record ${current.seq}'s link was)`,
    };
  }
  return {
    ok: false,
    at: current.seq,
    problem: "altered",
    detail: `record ${current.seq} links to ${current.prevHash}, not to the range start ${prev.hash}`,
  };
}
