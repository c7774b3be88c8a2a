// Export of a time range of the stored trail as JSON Lines (jsonl.ts), contiguous in the chain so
// the export verifies on its own: from the first record at or after `since` to the last one at
// or before `until`, everything in between included. Digests bound the scan: a record is always
// appended after its eventTime, so nothing at or after `since` precedes the last digest that
// ended by then.
import type { Store } from "../store/store.js";
import type { Digest } from "./digest.js";
import { jsonLineOfStored } from "./jsonl.js";

export interface ExportRange {
  since?: number;
  until?: number;
}

export interface ExportResult {
  records: number;
  firstSeq?: number;
  lastSeq?: number;
}

const PAGE = 2000;
/** A record may be appended this long after its eventTime (a write waiting on the store's lock). */
const APPEND_SLACK_MS = 120_000;

export async function exportRecords(
  store: Pick<Store, "audit">,
  range: ExportRange,
  write: (text: string) => Promise<void>,
  progress?: (done: number, total: number) => void,
): Promise<ExportResult> {
  const head = await store.audit.chainHead();
  const bounds = await store.audit.recordBounds();
  if (!bounds) return { records: 0 };
  let from = bounds.firstSeq - 1;
  let to = head.seq;
  for (let after = 0; ; ) {
    const page = await store.audit.listDigests(after, 1000);
    for (const row of page) {
      if (range.since !== undefined && row.endTime <= range.since) from = Math.max(from, row.lastSeq);
      if (range.until !== undefined && row.endTime >= range.until + APPEND_SLACK_MS) to = Math.min(to, row.lastSeq);
    }
    if (page.length < 1000) break;
    after = (page.at(-1) as { id: number }).id;
  }
  const total = Math.max(0, to - from);
  const result: ExportResult = { records: 0 };
  // Records past `until` are held back until a later one falls inside again (times are only
  // nearly in chain order), and dropped at the end.
  let held: Array<{ seq: number; line: string }> = [];
  let started = false;
  for (let after = from; after < to; ) {
    const page = await store.audit.readRecords(after, PAGE, to);
    if (page.length === 0) break;
    let text = "";
    const emit = (seq: number, line: string) => {
      text += line;
      result.records++;
      result.firstSeq ??= seq;
      result.lastSeq = seq;
    };
    for (const row of page) {
      if (!started && range.since !== undefined && row.eventTime < range.since) continue;
      started = true;
      const line = jsonLineOfStored(row);
      if (range.until !== undefined && row.eventTime > range.until) {
        if (row.eventTime > range.until + APPEND_SLACK_MS) {
          to = row.seq; // nothing appended from here on can fall inside the range
          break;
        }
        held.push({ seq: row.seq, line });
        continue;
      }
      for (const h of held) emit(h.seq, h.line);
      held = [];
      emit(row.seq, line);
    }
    if (text !== "") await write(text);
    after = (page.at(-1) as { seq: number }).seq;
    progress?.(after - from, total);
  }
  return result;
}

/**
 * The digests that vouch for an exported range, as JSON Lines, oldest first: the one that ends
 * just before the range (its anchor) and every one that ends inside it. None that ends past the
 * range, so that a verifier can tell a file cut short (a digest ends past its last record).
 */
export async function exportDigests(
  store: Pick<Store, "audit">,
  range: { firstSeq: number; lastSeq: number },
  write: (text: string) => Promise<void>,
): Promise<number> {
  let count = 0;
  for (let after = 0; ; ) {
    const page = await store.audit.listDigests(after, 1000);
    const lines = page
      .filter((row) => row.lastSeq >= range.firstSeq - 1 && row.lastSeq <= range.lastSeq)
      .map((row) => `${JSON.stringify(JSON.parse(row.digest) as Digest)}\n`);
    if (lines.length > 0) await write(lines.join(""));
    count += lines.length;
    if (page.length < 1000) return count;
    after = (page.at(-1) as { id: number }).id;
  }
}
