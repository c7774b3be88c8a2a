// Reading an HTTP/1.1 request head (request line and header fields, RFC 9112 §2–§6) from the bytes
// a connection has received so far. Strict where leniency has been used to smuggle requests: only
// CRLF ends a line, no folded lines, no blank before a field's colon, one agreed Content-Length,
// never both Content-Length and Transfer-Encoding, and chunked as the only transfer coding.
import type { HeaderTable } from "../../protocol/sigv4/request-auth.js";

/** A request head as the connection needs it. Header names keep their case; values are trimmed. */
export interface RequestHead {
  method: string;
  target: string;
  /** "1.1" or "1.0". */
  version: string;
  /** name, value, name, value … in arrival order, as node:http's rawHeaders. */
  rawHeaders: string[];
  /** The same by lower-cased name, every value kept (as SigV4 reads them). */
  table: HeaderTable;
  /** The body's length when it is given by Content-Length (0 when there is no body). */
  contentLength: number;
  chunked: boolean;
  keepAlive: boolean;
  expectContinue: boolean;
}

export type HeadResult =
  | { kind: "incomplete" }
  | { kind: "head"; head: RequestHead; /** bytes the head took, through its blank line */ size: number }
  | { kind: "error"; status: 400 | 431 | 501 | 505 };

const CRLFCRLF = Buffer.from("\r\n\r\n", "latin1");
const INCOMPLETE: HeadResult = { kind: "incomplete" };
const BAD: HeadResult = { kind: "error", status: 400 };

/** A field name or method: tchar (RFC 9110 §5.6.2) only. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The request target: visible ASCII only (a blank would make the request line ambiguous). */
const TARGET = /^[\x21-\x7e]+$/;
/**
 * True when bytes [start, end) hold a control character other than tab, or a CR or LF that is
 * not part of a CRLF. (A lone CR or LF is no line end here; a lenient reader elsewhere might
 * think it is.) A loop over the bytes: several times faster than a regular expression here.
 */
function hasForbiddenByte(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i] as number;
    if (c >= 0x20 && c !== 0x7f) continue;
    if (c === 0x09) continue;
    if (c === 0x0d && buf[i + 1] === 0x0a) {
      i++;
      continue;
    }
    return true;
  }
  return false;
}

const trimBlanks = (text: string) => {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
};

/** Comma-separated tokens of a field value, lower-cased. */
const tokensOf = (value: string) => value.toLowerCase().split(",").map(trimBlanks).filter((t) => t !== "");

/**
 * Reads the head at the start of `buf`. `maxSize` bounds the request line and fields together
 * (node:http's maxHeaderSize): a head that does not end within it is refused with 431.
 */
export function parseRequestHead(buf: Buffer, maxSize: number): HeadResult {
  // Blank lines before a request line are tolerated (RFC 9112 §2.2).
  let start = 0;
  while (start + 1 < buf.length && buf[start] === 0x0d && buf[start + 1] === 0x0a) start += 2;
  const end = buf.indexOf(CRLFCRLF, start);
  if (end === -1) return buf.length - start > maxSize ? { kind: "error", status: 431 } : INCOMPLETE;
  if (end - start > maxSize) return { kind: "error", status: 431 };
  if (hasForbiddenByte(buf, start, end)) return BAD;
  const text = buf.toString("latin1", start, end);
  const lines = text.split("\r\n");

  const requestLine = lines[0] as string;
  const sp1 = requestLine.indexOf(" ");
  const sp2 = requestLine.indexOf(" ", sp1 + 1);
  if (sp1 <= 0 || sp2 === -1 || requestLine.indexOf(" ", sp2 + 1) !== -1) return BAD;
  const method = requestLine.slice(0, sp1);
  const target = requestLine.slice(sp1 + 1, sp2);
  const protocol = requestLine.slice(sp2 + 1);
  if (!TOKEN.test(method) || !TARGET.test(target)) return BAD;
  if (!/^HTTP\/\d\.\d$/.test(protocol)) return BAD;
  if (protocol !== "HTTP/1.1" && protocol !== "HTTP/1.0") return { kind: "error", status: 505 };
  const version = protocol.slice(5);

  const rawHeaders: string[] = [];
  const table: HeaderTable = new Map();
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let connection = "";
  let expect: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(":");
    // No field name, a blank before the colon, or a folded continuation line.
    if (colon <= 0) return BAD;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return BAD;
    const value = trimBlanks(line.slice(colon + 1));
    rawHeaders.push(name, value);
    const lower = name.toLowerCase();
    const seen = table.get(lower);
    if (seen === undefined) table.set(lower, value);
    else if (typeof seen === "string") table.set(lower, [seen, value]);
    else seen.push(value);
    switch (lower) {
      case "content-length":
        if (!/^\d{1,15}$/.test(value) || (contentLength !== undefined && contentLength !== value)) return BAD;
        contentLength = value;
        break;
      case "transfer-encoding":
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
      case "connection":
        connection += `,${value}`;
        break;
      case "expect":
        expect = value;
        break;
    }
  }

  let chunked = false;
  if (transferEncoding !== undefined) {
    // Both would let two readers of the same bytes disagree on where the body ends.
    if (contentLength !== undefined || version === "1.0") return BAD;
    const codings = tokensOf(transferEncoding);
    if (codings.length !== 1 || codings[0] !== "chunked") return { kind: "error", status: 501 };
    chunked = true;
  }
  const connectionTokens = tokensOf(connection);
  const keepAlive = version === "1.1" ? !connectionTokens.includes("close") : connectionTokens.includes("keep-alive");
  return {
    kind: "head",
    head: {
      method,
      target,
      version,
      rawHeaders,
      table,
      contentLength: contentLength === undefined ? 0 : Number(contentLength),
      chunked,
      keepAlive,
      expectContinue: expect !== undefined && expect.toLowerCase() === "100-continue",
    },
    size: end + 4,
  };
}

// Fields node:http keeps only the first of (the rest it drops); the others it joins with ", ".
const FIRST_ONLY = new Set([
  "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
  "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
  "proxy-authorization", "referer", "retry-after", "server", "user-agent",
]);

/**
 * A header's value as node:http's `req.headers` gives it: the first of a single-valued field,
 * the values of any other joined ("; " for cookies). `name` is lower-case.
 */
export function headerValue(table: HeaderTable, name: string): string | undefined {
  const value = table.get(name);
  if (value === undefined || typeof value === "string") return value;
  if (FIRST_ONLY.has(name)) return value[0];
  return value.join(name === "cookie" ? "; " : ", ");
}
