// Audit export format: JSON Lines, one chained record per line ({seq, prevHash, hash, record}),
// each line ending in "\n". Reading is strict so that an export can be verified as stored:
// every line must be a chained record; only the final newline (and CRLF line ends) are
// tolerated, and a bad line is reported by its 1-based line number.

import type { ChainedRecord } from "./chain.js";

export class JsonLinesError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "JsonLinesError";
    this.line = line;
  }
}

const HASH = /^[0-9a-f]{64}$/;

export function formatJsonLine(entry: ChainedRecord): string {
  return `${JSON.stringify({ seq: entry.seq, prevHash: entry.prevHash, hash: entry.hash, record: entry.record })}\n`;
}

/**
 * The line of a record as stored (its JSON text is spliced in, not parsed and re-serialised):
 * the same text formatJsonLine gives for the parsed record.
 */
export function jsonLineOfStored(stored: { seq: number; prevHash: string; hash: string; record: string }): string {
  return `{"seq":${stored.seq},"prevHash":${JSON.stringify(stored.prevHash)},"hash":${JSON.stringify(stored.hash)},"record":${stored.record}}\n`;
}

export function toJsonLines(entries: Iterable<ChainedRecord>): string {
  let text = "";
  for (const entry of entries) text += formatJsonLine(entry);
  return text;
}

/** Reads one line (without its line end); throws JsonLinesError naming `lineNumber`. */
export function parseJsonLine(line: string, lineNumber: number): ChainedRecord {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (text.trim() === "") throw new JsonLinesError(lineNumber, "empty line");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonLinesError(lineNumber, `not JSON (${err instanceof Error ? err.message : "parse error"})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new JsonLinesError(lineNumber, "not a JSON object");
  }
  const entry = value as Record<string, unknown>;
  if (!Number.isSafeInteger(entry.seq) || (entry.seq as number) < 1) {
    throw new JsonLinesError(lineNumber, "seq must be a positive integer");
  }
  for (const field of ["prevHash", "hash"] as const) {
    const hash = entry[field];
    if (typeof hash !== "string" || !HASH.test(hash)) {
      throw new JsonLinesError(lineNumber, `${field} must be 64 lowercase hex digits`);
    }
  }
  if (entry.record === null || typeof entry.record !== "object" || Array.isArray(entry.record)) {
    throw new JsonLinesError(lineNumber, "record must be a JSON object");
  }
  return value as ChainedRecord;
}

/** Reads a whole export; throws JsonLinesError at the first malformed line. */
export function parseJsonLines(text: string): ChainedRecord[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop(); // the final line end
  return lines.map((line, index) => parseJsonLine(line, index + 1));
}

/** Reads an export line by line (e.g. from node:readline) without holding it all in memory. */
export async function* parseJsonLineStream(lines: AsyncIterable<string>): AsyncGenerator<ChainedRecord> {
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    yield parseJsonLine(line, lineNumber);
  }
}
