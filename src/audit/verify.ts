// Offline verification of a range of the audit trail, from the store or from exported JSON Lines
// files: the digests' signatures and links first, then the record chain, streamed in windows,
// with every digest's (lastSeq, lastHash) as a checkpoint the chain must pass through, so a
// range rewritten with fresh hashes, or cut short, is caught too. The first problem is named by
// its record (seq, and eventID/eventTime when the record is there to read).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Store } from "../store/store.js";
import {
  canonicalJson,
  type ChainedRecord,
  type ChainLink,
  type ChainProblem,
  GENESIS_HASH,
  linkedHash,
  verifyChain,
} from "./chain.js";
import { type Digest, verifyDigest } from "./digest.js";
import { JsonLinesError, parseJsonLine } from "./jsonl.js";

export interface VerifyRange {
  /** Only records from this time on (ms). */
  since?: number;
  /** Only records up to this time (ms). */
  until?: number;
}

export interface VerifyProblem {
  kind: ChainProblem | "digest" | "unreadable";
  /** The seq of the record concerned (for a digest problem: none). */
  seq?: number;
  detail: string;
  eventID?: string;
  eventTime?: string;
}

export interface VerifyOutcome {
  ok: boolean;
  records: number;
  firstSeq?: number;
  lastSeq?: number;
  digests: number;
  /** False when the range starts mid-chain with nothing signed to vouch for its first link. */
  anchored: boolean;
  problem?: VerifyProblem;
  notes: string[];
}

const WINDOW = 5000;

/** Digest signatures (each with the key its fingerprint names) and links, oldest first. */
export function checkDigests(digests: readonly Digest[], publicKeys: ReadonlyMap<string, string>): VerifyProblem | undefined {
  let prev: Digest | undefined;
  for (const [i, digest] of digests.entries()) {
    const where = `digest ${i + 1} (ending ${String(digest.endTime)})`;
    const pem = publicKeys.get(digest.publicKeyFingerprint);
    if (pem === undefined) return { kind: "digest", detail: `${where} was signed by key ${digest.publicKeyFingerprint}, which is not known` };
    if (!verifyDigest(digest, pem)) return { kind: "digest", detail: `${where}: its signature or content does not verify` };
    if (prev !== undefined) {
      if (digest.previousDigestHash !== prev.hash || digest.previousDigestSignature !== prev.signature) {
        return { kind: "digest", detail: `${where} does not link to the digest before it: a digest was removed or replaced` };
      }
      if (digest.firstSeq !== prev.lastSeq + 1) {
        return { kind: "digest", detail: `${where} covers from seq ${digest.firstSeq}, the digest before ended at ${prev.lastSeq}` };
      }
    }
    prev = digest;
  }
  return undefined;
}

/** Checks chained records fed in order, window by window. */
class ChainWalker {
  count = 0;
  firstSeq: number | undefined;
  private prev: ChainLink;
  private pending: ChainedRecord[] = [];
  problem: VerifyProblem | undefined;

  constructor(
    start: ChainLink,
    private readonly checkpoints: ReadonlyMap<number, string>,
  ) {
    this.prev = start;
  }

  get last(): ChainLink {
    return this.prev;
  }

  /** Adds records; checks a window once enough are there. False once a problem was found. */
  push(records: readonly ChainedRecord[]): boolean {
    if (this.problem) return false;
    this.pending.push(...records);
    // Keep a window's worth of records ahead of any failure, so a moved record can be found.
    if (this.pending.length >= 2 * WINDOW) this.check(this.pending.length - WINDOW);
    return this.problem === undefined;
  }

  finish(): void {
    if (!this.problem && this.pending.length > 0) this.check(this.pending.length);
  }

  private check(upTo: number): void {
    const verdict = verifyChain(this.pending, { startAfter: this.prev });
    if (!verdict.ok && verdict.at <= (this.pending[upTo - 1]?.seq ?? Infinity)) {
      this.problem = describe(refine(verdict, this.pending), this.pending);
      return;
    }
    const settled = this.pending.slice(0, upTo);
    for (const record of settled) {
      const signed = this.checkpoints.get(record.seq);
      if (signed !== undefined && signed !== record.hash) {
        this.problem = describe(
          {
            at: record.seq,
            problem: "altered",
            detail: `record ${record.seq} has hash ${record.hash}, but a signed digest recorded ${signed}: records up to it were rewritten`,
          },
          settled,
        );
        return;
      }
      this.firstSeq ??= record.seq;
      this.count++;
      this.prev = { seq: record.seq, hash: record.hash };
    }
    this.pending = this.pending.slice(upTo);
  }
}

/**
 * A record whose content matches its own hash for another seq was moved (its position or seq
 * changed): verifyChain sees only a link that does not fit, so this names it as reordered.
 */
function refine(verdict: { at: number; problem: ChainProblem; detail: string }, window: readonly ChainedRecord[]) {
  if (verdict.problem !== "altered") return verdict;
  const record = window.find((r) => r.seq === verdict.at);
  if (!record || typeof record.record !== "object") return verdict;
  const canonical = canonicalJson(record.record);
  if (linkedHash(record.seq, record.prevHash, canonical) === record.hash) return verdict;
  for (let delta = 1; delta <= 64; delta++) {
    for (const seq of [record.seq - delta, record.seq + delta]) {
      if (seq >= 1 && linkedHash(seq, record.prevHash, canonical) === record.hash) {
        return { at: record.seq, problem: "reordered" as const, detail: `the record at seq ${record.seq} is record ${seq} of the chain, moved` };
      }
    }
  }
  return verdict;
}

function describe(verdict: { at: number; problem: ChainProblem; detail: string }, window: readonly ChainedRecord[]): VerifyProblem {
  const problem: VerifyProblem = { kind: verdict.problem, seq: verdict.at, detail: verdict.detail };
  const record = window.find((r) => r.seq === verdict.at)?.record as { eventID?: unknown; eventTime?: unknown } | undefined;
  if (typeof record?.eventID === "string") problem.eventID = record.eventID;
  if (typeof record?.eventTime === "string") problem.eventTime = record.eventTime;
  return problem;
}

function outcome(walker: ChainWalker, digests: number, anchored: boolean, notes: string[], problem?: VerifyProblem): VerifyOutcome {
  const result: VerifyOutcome = { ok: problem === undefined, records: walker.count, digests, anchored, notes };
  if (walker.firstSeq !== undefined) {
    result.firstSeq = walker.firstSeq;
    result.lastSeq = walker.last.seq;
  }
  if (problem) result.problem = problem;
  return result;
}

async function allDigests(store: Pick<Store, "audit">): Promise<Array<{ endTime: number; digest: Digest }>> {
  const out: Array<{ endTime: number; digest: Digest }> = [];
  for (let after = 0; ; ) {
    const page = await store.audit.listDigests(after, 1000);
    for (const row of page) out.push({ endTime: row.endTime, digest: JSON.parse(row.digest) as Digest });
    const last = page.at(-1);
    if (!last || page.length < 1000) return out;
    after = last.id;
  }
}

/** Verifies the store's chain (the part in `range`, widened to digest boundaries). */
export async function verifyStore(store: Pick<Store, "audit">, range: VerifyRange = {}): Promise<VerifyOutcome> {
  const notes: string[] = [];
  const keys = new Map<string, string>();
  for (const row of await store.audit.listSigningKeys()) keys.set(row.fingerprint, row.publicKeyPem);
  const digests = await allDigests(store);
  const digestProblem = checkDigests(
    digests.map((d) => d.digest),
    keys,
  );
  const head = await store.audit.chainHead();
  const bounds = await store.audit.recordBounds();
  const empty = new ChainWalker({ seq: 0, hash: GENESIS_HASH }, new Map());
  if (digestProblem) return outcome(empty, digests.length, false, notes, digestProblem);

  // Where to start: the chain's start, the digest that anchors what retention left, or the last
  // digest that ended before `since`.
  const firstStored = bounds?.firstSeq ?? head.seq + 1;
  const anchorOf = (seq: number) => digests.find((d) => d.digest.lastSeq === seq)?.digest;
  let start: ChainLink | undefined;
  let anchored = true;
  if (range.since !== undefined) {
    const before = digests.filter((d) => d.endTime <= range.since! && d.digest.lastSeq >= firstStored - 1).at(-1);
    if (before) start = { seq: before.digest.lastSeq, hash: before.digest.lastHash };
  }
  if (start === undefined) {
    if (firstStored === 1) start = { seq: 0, hash: GENESIS_HASH };
    else {
      const anchor = anchorOf(firstStored - 1);
      if (anchor) start = { seq: anchor.lastSeq, hash: anchor.lastHash };
    }
  }
  if (start === undefined) {
    // Nothing signed says what came before the first stored record: start from its own link.
    const [first] = await store.audit.readRecords(firstStored - 1, 1);
    start = { seq: firstStored - 1, hash: first?.prevHash ?? GENESIS_HASH };
    anchored = false;
    notes.push(`records before seq ${firstStored} are gone and no digest vouches for record ${firstStored}'s link`);
  }
  // Where to end: the first digest ending at or after `until`, else the chain head, or further
  // when a signed digest vouches for records past the head (the head was moved back).
  let endSeq = Math.max(head.seq, digests.at(-1)?.digest.lastSeq ?? 0);
  if (range.until !== undefined) {
    const after = digests.find((d) => d.endTime >= range.until!);
    if (after) endSeq = after.digest.lastSeq;
  }
  const checkpoints = new Map<number, string>();
  for (const { digest } of digests) if (digest.lastSeq > start.seq && digest.lastSeq <= endSeq) checkpoints.set(digest.lastSeq, digest.lastHash);
  if (endSeq === head.seq && head.seq > start.seq) checkpoints.set(head.seq, head.hash);

  const walker = new ChainWalker(start, checkpoints);
  let after = start.seq;
  while (after < endSeq) {
    const page = await store.audit.readRecords(after, WINDOW, endSeq);
    if (page.length === 0) break;
    const records: ChainedRecord[] = [];
    for (const row of page) {
      let record: unknown;
      try {
        record = JSON.parse(row.record);
      } catch {
        record = null; // verifyChain reports it as altered
      }
      records.push({ seq: row.seq, prevHash: row.prevHash, hash: row.hash, record } as ChainedRecord);
    }
    if (!walker.push(records)) break;
    after = (page.at(-1) as { seq: number }).seq;
  }
  walker.finish();
  if (walker.problem) return outcome(walker, digests.length, anchored, notes, walker.problem);
  if (walker.last.seq < endSeq) {
    const missing = walker.last.seq + 1;
    return outcome(walker, digests.length, anchored, notes, {
      kind: "removed",
      seq: missing,
      detail:
        missing === endSeq ? `record ${missing} is missing from the end of the chain` : `records ${missing}..${endSeq} are missing from the end of the chain`,
    });
  }
  return outcome(walker, digests.length, anchored, notes);
}

export interface FileVerifyOptions extends VerifyRange {
  digests?: readonly Digest[];
  publicKeys?: ReadonlyMap<string, string>;
}

async function firstSeqOf(path: string): Promise<number> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    const match = /^\{"seq":(\d+)/.exec(line);
    return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** Verifies exported JSON Lines files (in chain order whatever order they are given in). */
export async function verifyFiles(paths: readonly string[], options: FileVerifyOptions = {}): Promise<VerifyOutcome> {
  const notes: string[] = [];
  const digests = options.digests ?? [];
  const empty = new ChainWalker({ seq: 0, hash: GENESIS_HASH }, new Map());
  if (digests.length > 0) {
    const problem = checkDigests(digests, options.publicKeys ?? new Map());
    if (problem) return outcome(empty, digests.length, false, notes, problem);
  }
  const ordered = await Promise.all(paths.map(async (path) => ({ path, first: await firstSeqOf(path) })));
  ordered.sort((a, b) => a.first - b.first);
  const checkpoints = new Map<number, string>();
  for (const digest of digests) checkpoints.set(digest.lastSeq, digest.lastHash);

  let walker: ChainWalker | undefined;
  let anchored = true;
  let batch: ChainedRecord[] = [];
  const begin = (first: ChainedRecord): ChainWalker => {
    let start: ChainLink;
    const anchor = digests.find((d) => d.lastSeq === first.seq - 1);
    if (first.seq === 1 && first.prevHash === GENESIS_HASH) start = { seq: 0, hash: GENESIS_HASH };
    else if (anchor) start = { seq: anchor.lastSeq, hash: anchor.lastHash };
    else {
      start = { seq: first.seq - 1, hash: first.prevHash };
      anchored = false;
      notes.push(`the range starts at seq ${first.seq}; no digest vouches for its link to the record before`);
    }
    return new ChainWalker(start, checkpoints);
  };
  outer: for (const { path } of ordered) {
    const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      let entry: ChainedRecord;
      try {
        entry = parseJsonLine(line, lineNumber);
      } catch (err) {
        lines.close();
        const detail = err instanceof JsonLinesError ? `${path}: ${err.message}` : `${path}: line ${lineNumber} cannot be read`;
        return outcome(walker ?? empty, digests.length, anchored, notes, { kind: "unreadable", detail });
      }
      const time = Date.parse(String((entry.record as { eventTime?: unknown }).eventTime));
      if (options.since !== undefined && time < options.since && walker === undefined) continue;
      if (options.until !== undefined && time > options.until) {
        lines.close();
        break outer;
      }
      walker ??= begin(entry);
      batch.push(entry);
      if (batch.length >= WINDOW) {
        if (!walker.push(batch)) {
          lines.close();
          break outer;
        }
        batch = [];
      }
    }
  }
  if (!walker) return outcome(empty, digests.length, anchored, notes);
  if (batch.length > 0) walker.push(batch);
  walker.finish();
  if (walker.problem) return outcome(walker, digests.length, anchored, notes, walker.problem);
  // A digest that ends inside what the files cover but past their last record: the tail was cut.
  const cut = digests.find((d) => d.lastSeq > walker!.last.seq && d.firstSeq <= walker!.last.seq && options.until === undefined);
  if (cut) {
    return outcome(walker, digests.length, anchored, notes, {
      kind: "removed",
      seq: walker.last.seq + 1,
      detail: `records ${walker.last.seq + 1}..${cut.lastSeq} are missing from the end (a signed digest covers them)`,
    });
  }
  return outcome(walker, digests.length, anchored, notes);
}
