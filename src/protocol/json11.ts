// AWS JSON 1.1 body codec: request bytes → plain object, response value → JSON text.
//
// Request side. AWS JSON services answer a body they cannot read with SerializationException.
// The messages below follow raw-HTTP observations of a Coral-based JSON 1.1 service reported in
// public code (not verified against Secrets Manager itself): unparsable JSON and non-object
// top-level values get no message at all, a top-level array gets the parser's
// "Start of list found where not expected". An empty message here means "send no Message".
//
// Response side. Timestamps are epoch seconds with millisecond precision (AWS sends e.g.
// 1523477145.729), blobs are base64, absent values are omitted rather than sent as null.

import { isUtf8 } from "node:buffer";
import { SerializationException } from "../domain/errors.js";

/** Deepest container nesting accepted in a request body; real inputs nest a handful of levels. */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const START_OF_LIST = "Start of list found where not expected";

/**
 * Parses a request body. Empty (or whitespace-only) body → {} (SDKs send "{}" for empty input;
 * whitespace-only is treated the same, unverified). Every object in the result has a null
 * prototype, so keys such as "__proto__" are plain data.
 */
export function decodeJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return Object.create(null) as Record<string, unknown>;
  if (!isUtf8(body)) throw new SerializationException("");
  if (exceedsDepth(body, MAX_JSON_DEPTH)) throw new SerializationException("");
  let text = body.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // tolerate a UTF-8 byte order mark
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (/^[ \t\r\n]*$/.test(text)) return Object.create(null) as Record<string, unknown>;
    throw new SerializationException("");
  }
  if (typeof parsed !== "object" || parsed === null) throw new SerializationException("");
  if (Array.isArray(parsed)) throw new SerializationException(START_OF_LIST);
  return copyObject(parsed as Record<string, unknown>);
}

/**
 * True when containers nest deeper than `limit`. Runs on bytes before JSON.parse so a nesting
 * bomb is refused after `limit` levels instead of being fully materialised (V8 parses deep
 * nesting without overflowing, but spends time and memory on it). A body with no more than
 * `limit` brackets cannot be too deep, which native indexOf settles without a byte loop.
 */
function exceedsDepth(body: Buffer, limit: number): boolean {
  let brackets = 0;
  for (const byte of [OPEN_BRACE, OPEN_BRACKET]) {
    for (let i = body.indexOf(byte); i !== -1; i = body.indexOf(byte, i + 1)) {
      if (++brackets > limit) return scanDepth(body, limit);
    }
  }
  return false;
}

function scanDepth(body: Buffer, limit: number): boolean {
  let depth = 0;
  const n = body.length;
  for (let i = 0; i < n; i++) {
    const b = body[i];
    if (b === QUOTE) {
      // Jump to the closing quote natively; a quote preceded by an odd run of backslashes is escaped.
      let end = body.indexOf(QUOTE, i + 1);
      while (end !== -1) {
        let slashes = 0;
        for (let j = end - 1; j > i && body[j] === BACKSLASH; j--) slashes++;
        if ((slashes & 1) === 0) break;
        end = body.indexOf(QUOTE, end + 1);
      }
      if (end === -1) return false; // unterminated string: JSON.parse reports it
      i = end;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

// Depth is already bounded by exceedsDepth, so plain recursion is safe here.
function copyValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i]);
    return out;
  }
  return copyObject(value as Record<string, unknown>);
}

function copyObject(source: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source)) out[key] = copyValue(source[key]);
  return out;
}

/**
 * Serialises a response value. Date → epoch seconds (number, millisecond precision),
 * Buffer/Uint8Array → base64 string, null/undefined object members and list entries → omitted.
 * Written as a direct walk rather than a JSON.stringify replacer: a replacer cannot see a Date
 * or Buffer before their toJSON runs (Buffer.toJSON would expand a binary secret into an array
 * of numbers), and the walk is at least as fast for response-sized values.
 */
export function encodeJsonBody(value: unknown): string {
  return write(value) ?? "{}";
}

const keyCache = new Map<string, string>();

function memberPrefix(key: string, first: boolean): string {
  let quoted = keyCache.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    // Response member names come from the model, so the cache stays small; cap it anyway in case
    // a handler returns user-keyed maps.
    if (keyCache.size < 4096) keyCache.set(key, quoted);
  }
  return first ? quoted : `,${quoted}`;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`cannot encode non-finite number ${value}`);
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "object":
      if (value === null) return undefined;
      if (Array.isArray(value)) return writeArray(value);
      if (value instanceof Date) return epochSeconds(value);
      if (value instanceof Uint8Array) return `"${base64(value)}"`;
      return writeObject(value as Record<string, unknown>);
    default:
      return undefined; // undefined, functions, symbols: not representable, omitted like JSON.stringify
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = "[";
  let first = true;
  for (let i = 0; i < items.length; i++) {
    const encoded = write(items[i]);
    if (encoded === undefined) continue;
    out += first ? encoded : `,${encoded}`;
    first = false;
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key of Object.keys(object)) {
    const encoded = write(object[key]);
    if (encoded === undefined) continue;
    out += memberPrefix(key, first) + encoded;
    first = false;
  }
  return `${out}}`;
}

function epochSeconds(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new TypeError("cannot encode an invalid Date");
  // Integer milliseconds divided by 1000 print with at most three decimals (1523477145.729).
  return String(ms / 1000);
}

function base64(bytes: Uint8Array): string {
  return Buffer.isBuffer(bytes)
    ? bytes.toString("base64")
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
