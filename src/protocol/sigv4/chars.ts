// Character-level helpers of SigV4: URI encoding, whitespace folding, dates, hex.
import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 3986 unreserved: A–Z a–z 0–9 - _ . ~ (the only characters SigV4 leaves literal, §2.2). */
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const unreserved =
    (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
  UNRESERVED[c] = unreserved ? 1 : 0;
}

/** The SigV4 encoding of every byte: the character itself if unreserved, else %XX (uppercase). */
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b < 128 && UNRESERVED[b] === 1 ? String.fromCharCode(b) : "%" + b.toString(16).toUpperCase().padStart(2, "0"),
);

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * SigV4 URI encoding. With `decodePercent`, valid %XX escapes are first taken as the bytes they
 * stand for (query components are decoded, then re-encoded, §2.2). Without it every '%' is itself
 * encoded, which is how the path gets its second encoding. Working on bytes keeps the round trip
 * lossless for escapes that are not valid UTF-8. Non-ASCII characters are encoded as UTF-8.
 */
export function sigv4Encode(s: string, decodePercent: boolean, keepSlash: boolean): string {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!((c < 128 && UNRESERVED[c] === 1) || (keepSlash && c === 0x2f))) break;
    i++;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x25 && decodePercent && i + 2 < n) {
        const hi = hexValue(s.charCodeAt(i + 1));
        const lo = hexValue(s.charCodeAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          out += ENCODED_BYTE[(hi << 4) | lo];
          i += 2;
          continue;
        }
      }
      out += keepSlash && c === 0x2f ? "/" : ENCODED_BYTE[c];
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate, as TextEncoder does
    if (cp < 0x800) {
      out += ENCODED_BYTE[0xc0 | (cp >> 6)]! + ENCODED_BYTE[0x80 | (cp & 0x3f)]!;
    } else if (cp < 0x10000) {
      out += ENCODED_BYTE[0xe0 | (cp >> 12)]! + ENCODED_BYTE[0x80 | ((cp >> 6) & 0x3f)]! + ENCODED_BYTE[0x80 | (cp & 0x3f)]!;
    } else {
      out +=
        ENCODED_BYTE[0xf0 | (cp >> 18)]! + ENCODED_BYTE[0x80 | ((cp >> 12) & 0x3f)]! +
        ENCODED_BYTE[0x80 | ((cp >> 6) & 0x3f)]! + ENCODED_BYTE[0x80 | (cp & 0x3f)]!;
    }
  }
  return out;
}

/** Plain percent-decoding for the values of X-Amz-* parameters; malformed input is kept as is. */
export function decodeComponent(s: string): string {
  if (s.indexOf("%") === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Header value canonicalisation (§2.2): trim, collapse internal runs of spaces/tabs to one space,
 * CR/LF count as spaces (as in smithy). Most values need nothing, so check before building.
 */
export function foldWhitespace(v: string): string {
  const n = v.length;
  let clean = true;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c === 0x20 && (i === 0 || i === n - 1 || v.charCodeAt(i + 1) === 0x20))) {
      clean = false;
      break;
    }
  }
  if (clean) return v;
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += " ";
      pendingSpace = false;
    }
    out += v[i];
  }
  return out;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/** Parses `yyyymmddThhmmssZ` (ISO 8601 basic, as SigV4 requires); NaN when malformed. */
export function parseAmzDate(s: string): number {
  if (s.length !== 16 || s.charCodeAt(8) !== 0x54 || s.charCodeAt(15) !== 0x5a) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 4, 2);
  const day = digits(s, 6, 2);
  const hour = digits(s, 9, 2);
  const minute = digits(s, 11, 2);
  const second = digits(s, 13, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59) {
    return NaN;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Reject dates such as 20240231 that Date.UTC would roll over.
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** ms → `yyyymmddThhmmssZ`, the form AWS uses in its skew messages. */
export function formatAmzDate(ms: number): string {
  const d = new Date(ms);
  return (
    String(d.getUTCFullYear()).padStart(4, "0") + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCDate()) + "T" +
    pad2(d.getUTCHours()) + pad2(d.getUTCMinutes()) + pad2(d.getUTCSeconds()) + "Z"
  );
}

export function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min.` : `${Math.round(ms / 1000)} sec.`;
}

export function isLowerHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!(isDigit(c) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

export function isHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) if (hexValue(s.charCodeAt(i)) < 0) return false;
  return true;
}

/** Constant-time comparison of two strings of any length (lengths are hidden by hashing). */
export function secretsEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}
