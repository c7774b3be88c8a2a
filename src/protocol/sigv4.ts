// Server-side verification of AWS Signature Version 4, header form and presigned query form.
// The rules reproduced here are those of the security reference §2: canonical request (§2.2),
// string to sign (§2.3), signing key (§2.4), the order of scope/identity checks (§2.5) and the
// clock-skew window (§2.6). Error codes use the awsJson spellings; the caller maps them to HTTP
// (and to the awsQuery spellings for STS).
//
// This runs on every request, so the per-request path avoids regular expressions and keeps
// allocations to the strings it must build; derived signing keys are cached so an ordinary
// request costs one HMAC plus the SHA-256 of the body and of the canonical request.

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { sha256Hex } from "../crypto/sha256.js";

export interface HttpRequestForSigning {
  /** As received. */
  method: string;
  /** Path and optional `?query` exactly as on the wire (Node's `req.url`). */
  rawUrl: string;
  /** Node's `req.rawHeaders`: flat [name, value, name, value, …], duplicates preserved. */
  rawHeaders: readonly string[];
  body: Buffer;
}

export interface Credential {
  secretAccessKey: string;
  /** Changes when the key is rotated or deleted, so cached signing keys die with it. */
  version?: string;
  /** Expiry of temporary credentials, ms since epoch. */
  expiresAt?: number;
  /**
   * The session token bound to a temporary key. When set, the request must carry exactly this
   * token. When absent, validating the token passed to the lookup is the lookup's job.
   */
  sessionToken?: string;
  [k: string]: unknown;
}

export type CredentialLookup = (
  accessKeyId: string,
  sessionToken: string | undefined,
) => Credential | undefined | Promise<Credential | undefined>;

export interface VerifyOptions {
  /** ms since epoch. */
  now: number;
  /** Allowed clock skew for the header form; default 5 minutes (§2.6). */
  skewMs?: number;
  isValidRegion: (region: string) => boolean;
  /** When given, the scope's service must equal it; otherwise any service is accepted and returned. */
  expectedService?: string;
  lookup: CredentialLookup;
  /** Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (body not covered by the signature). Default false. */
  allowUnsignedPayload?: boolean;
  /** Cache for derived signing keys; defaults to a process-wide LRU. */
  signingKeyCache?: SigningKeyCache;
  /**
   * Append the server's canonical request and string to sign to the signature-mismatch message,
   * as many AWS services do. Off by default: it discloses the server's view of the request.
   */
  explainMismatch?: boolean;
}

export interface VerifiedIdentity {
  accessKeyId: string;
  region: string;
  service: string;
  credential: Credential;
  sessionToken?: string;
  /** The request time that was signed, ms since epoch. */
  signedAt: number;
  /** True for the presigned query form. */
  presigned: boolean;
  /** True when the body is not covered by the signature (UNSIGNED-PAYLOAD). */
  unsignedPayload: boolean;
}

export class SigV4Error extends Error {
  readonly code: string;
  /** Set on signature mismatch, for server-side logs only (never sent unless explainMismatch). */
  readonly canonicalRequest: string | undefined;
  readonly stringToSign: string | undefined;
  constructor(code: string, message: string, detail?: { canonicalRequest: string; stringToSign: string }) {
    super(message);
    this.name = code;
    this.code = code;
    this.canonicalRequest = detail?.canonicalRequest;
    this.stringToSign = detail?.stringToSign;
  }
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const TERMINATOR = "aws4_request";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const DEFAULT_SKEW_MS = 5 * 60_000;
/** smithy refuses to presign beyond seven days; AWS uses the same bound (§2.6). */
const MAX_PRESIGN_EXPIRES_S = 604_800;

const MISSING = "MissingAuthenticationTokenException";
const INCOMPLETE = "IncompleteSignatureException";
const INVALID = "InvalidSignatureException";
const UNRECOGNIZED = "UnrecognizedClientException";
const EXPIRED = "ExpiredTokenException";

/** AWS's texts where observed (§2.1, §2.5, §2.6, §2.8); the others are marked unverified in the spec. */
const text = {
  missingToken: "Missing Authentication Token",
  notKeyValue: (fragment: string, header: string) =>
    `'${fragment}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
  credentialShape: (credential: string) =>
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  unsupportedAlgorithm: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
  queryParamRequired: (name: string) =>
    `AWS query-string parameters must include '${name}'. Re-examine the query-string parameters.`,
  badAmzDate: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
  expiresNotNumber: "X-Amz-Expires should be a number",
  expiresTooSmall: "X-Amz-Expires must be greater than 0",
  expiresTooLarge: "X-Amz-Expires must be less than a week (in seconds) that is 604800",
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  mustBeSigned: (header: string) => `'${header}' must be a 'SignedHeader' in the AWS Authorization.`,
  wrongService: (expected: string) => `Credential should be scoped to correct service: '${expected}'. `,
  wrongRegion: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  wrongDate: (scopeDate: string, requestDate: string, source: string) =>
    `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestDate}', from '${source}'.`,
  wrongTerminator: (terminator: string) =>
    `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`,
  invalidToken: "The security token included in the request is invalid.",
  expiredToken: "The security token included in the request is expired",
  payloadHashShape: "The provided 'x-amz-content-sha256' header must be a valid SHA256.",
  payloadHashMismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  mismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  mismatchExplained: (canonicalRequest: string, stringToSign: string) =>
    `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
};

// ---------------------------------------------------------------------------------------------
// Signing-key cache

/** Bounded LRU of derived signing keys (§2.4): Map iteration order is insertion order. */
export class SigningKeyCache {
  readonly #max: number;
  readonly #entries = new Map<string, Buffer>();

  constructor(maxEntries = 4096) {
    this.#max = Math.max(1, maxEntries);
  }

  get(key: string): Buffer | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Buffer): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}

const defaultSigningKeyCache = new SigningKeyCache();

/** kSigning = HMAC chain over date, region, service and the terminator (§2.4). */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac("sha256", "AWS4" + secretAccessKey).update(date).digest();
  const kRegion = createHmac("sha256", kDate).update(region).digest();
  const kService = createHmac("sha256", kRegion).update(service).digest();
  return createHmac("sha256", kService).update(TERMINATOR).digest();
}

// Without a credential version, the cache key carries a fingerprint of the secret so a rotated
// secret never meets a stale key. The fingerprint is memoised per credential object, so a lookup
// that returns the same object each time pays for it once.
const fingerprints = new WeakMap<object, { secret: string; fingerprint: string }>();

function credentialTag(credential: Credential): string {
  if (typeof credential.version === "string") return "v" + credential.version;
  const memo = fingerprints.get(credential);
  if (memo !== undefined && memo.secret === credential.secretAccessKey) return memo.fingerprint;
  const fingerprint = "h" + createHash("sha256").update(credential.secretAccessKey).digest("base64");
  fingerprints.set(credential, { secret: credential.secretAccessKey, fingerprint });
  return fingerprint;
}

function signingKeyFor(cache: SigningKeyCache, auth: ParsedAuth, credential: Credential): Buffer {
  // The scope has no '/' inside its parts except as separators and the access key id has none
  // either (it came from a '/'-split), so the tag can be anything without making keys collide.
  const cacheKey = auth.scope + "/" + auth.accessKeyId + "/" + credentialTag(credential);
  let key = cache.get(cacheKey);
  if (key === undefined) {
    key = deriveSigningKey(credential.secretAccessKey, auth.scopeDate, auth.region, auth.service);
    cache.set(cacheKey, key);
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Character-level helpers

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

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * SigV4 URI encoding. With `decodePercent`, valid %XX escapes are first taken as the bytes they
 * stand for (query components are decoded, then re-encoded, §2.2). Without it every '%' is itself
 * encoded, which is how the path gets its second encoding. Working on bytes keeps the round trip
 * lossless for escapes that are not valid UTF-8. Non-ASCII characters are encoded as UTF-8.
 */
function sigv4Encode(s: string, decodePercent: boolean, keepSlash: boolean): string {
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
function decodeComponent(s: string): string {
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
function foldWhitespace(v: string): string {
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

function isDigit(c: number): boolean {
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
function parseAmzDate(s: string): number {
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

function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min.` : `${Math.round(ms / 1000)} sec.`;
}

function isLowerHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!(isDigit(c) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function isHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) if (hexValue(s.charCodeAt(i)) < 0) return false;
  return true;
}

/** Constant-time comparison of two strings of any length (lengths are hidden by hashing). */
function secretsEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}

// ---------------------------------------------------------------------------------------------
// Request reading

/**
 * Lower-cased header name → raw value(s) in arrival order. Node decodes header bytes as latin1;
 * the clients that matter (Node's and Python's HTTP stacks) also write header strings as latin1
 * while signing their UTF-8 form, so hashing the decoded string as UTF-8 agrees with them.
 */
type HeaderTable = Map<string, string | string[]>;

function readHeaders(raw: readonly string[]): HeaderTable {
  const table: HeaderTable = new Map();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const seen = table.get(name);
    if (seen === undefined) table.set(name, value);
    else if (typeof seen === "string") table.set(name, [seen, value]);
    else seen.push(value);
  }
  return table;
}

/** Canonical value: each occurrence folded, duplicates joined with ',' in arrival order (botocore). */
function canonicalValue(value: string | string[]): string {
  if (typeof value === "string") return foldWhitespace(value);
  let out = foldWhitespace(value[0] as string);
  for (let i = 1; i < value.length; i++) out += "," + foldWhitespace(value[i] as string);
  return out;
}

function headerValue(table: HeaderTable, name: string): string | undefined {
  const value = table.get(name);
  return value === undefined ? undefined : canonicalValue(value);
}

interface QueryParam {
  /** Still percent-encoded, as on the wire. */
  name: string;
  value: string;
}

function parseQuery(query: string): QueryParam[] {
  const params: QueryParam[] = [];
  const n = query.length;
  let start = 0;
  while (start < n) {
    let end = query.indexOf("&", start);
    if (end === -1) end = n;
    if (end > start) {
      const eq = query.indexOf("=", start);
      if (eq === -1 || eq > end) params.push({ name: query.slice(start, end), value: "" });
      else params.push({ name: query.slice(start, eq), value: query.slice(eq + 1, end) });
    }
    start = end + 1;
  }
  return params;
}

// ---------------------------------------------------------------------------------------------
// Parsing the signature out of the request (§2.1)

interface ParsedAuth {
  presigned: boolean;
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  /** `date/region/service/terminator`, as it goes into the string to sign. */
  scope: string;
  signedHeaders: string;
  signedHeaderNames: string[];
  signature: string;
  /** yyyymmddThhmmssZ, the second line of the string to sign. */
  amzDate: string;
  /** The raw date value the request time came from, for the scope-date message. */
  dateSource: string;
  signedAt: number;
  /** Presigned form only. */
  expiresSeconds: number;
  sessionToken: string | undefined;
  /** x-amz-content-sha256 (or its hoisted query form), when the request carries one. */
  payloadHashClaim: string | undefined;
  path: string;
  params: QueryParam[];
}

const incomplete = (message: string) => new SigV4Error(INCOMPLETE, message);

function splitUrl(rawUrl: string): { path: string; query: string } {
  const q = rawUrl.indexOf("?");
  return q === -1 ? { path: rawUrl, query: "" } : { path: rawUrl.slice(0, q), query: rawUrl.slice(q + 1) };
}

function isAuthSeparator(c: number): boolean {
  return c === 0x2c || c === 0x20 || c === 0x09;
}

interface AuthorizationFields {
  algorithm: string;
  credential: string | undefined;
  signedHeaders: string | undefined;
  signature: string | undefined;
}

/**
 * `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. Components are separated by ','
 * and/or blanks, so both the SDKs' ", " and the API reference's "," parse; a blank inside a value
 * (a pasted access key with a space) leaves a fragment without '=', which AWS reports as such.
 */
function parseAuthorization(value: string): AuthorizationFields {
  const n = value.length;
  let i = 0;
  while (i < n && !isBlank(value.charCodeAt(i))) i++;
  const fields: AuthorizationFields = {
    algorithm: value.slice(0, i),
    credential: undefined,
    signedHeaders: undefined,
    signature: undefined,
  };
  while (i < n) {
    while (i < n && isAuthSeparator(value.charCodeAt(i))) i++;
    if (i >= n) break;
    let end = i;
    while (end < n && !isAuthSeparator(value.charCodeAt(end))) end++;
    const eq = value.indexOf("=", i);
    if (eq === -1 || eq >= end) throw incomplete(text.notKeyValue(value.slice(i, end), value));
    const component = value.slice(i, eq);
    const componentValue = value.slice(eq + 1, end);
    if (componentValue.length > 0) {
      if (component === "Credential") fields.credential ??= componentValue;
      else if (component === "SignedHeaders") fields.signedHeaders ??= componentValue;
      else if (component === "Signature") fields.signature ??= componentValue;
    }
    i = end;
  }
  return fields;
}

interface ScopeParts {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  scope: string;
}

function splitCredential(credential: string): ScopeParts | undefined {
  const s1 = credential.indexOf("/");
  if (s1 === -1) return undefined;
  const s2 = credential.indexOf("/", s1 + 1);
  if (s2 === -1) return undefined;
  const s3 = credential.indexOf("/", s2 + 1);
  if (s3 === -1) return undefined;
  const s4 = credential.indexOf("/", s3 + 1);
  if (s4 === -1 || credential.indexOf("/", s4 + 1) !== -1) return undefined;
  return {
    accessKeyId: credential.slice(0, s1),
    scopeDate: credential.slice(s1 + 1, s2),
    region: credential.slice(s2 + 1, s3),
    service: credential.slice(s3 + 1, s4),
    terminator: credential.slice(s4 + 1),
    scope: credential.slice(s1 + 1),
  };
}

function parseScope(credential: string): ScopeParts {
  const parts = splitCredential(credential);
  if (parts === undefined) throw incomplete(text.credentialShape(credential));
  return parts;
}

function splitSignedHeaders(list: string): string[] {
  return list.split(";");
}

function parseHeaderForm(headers: HeaderTable, authorization: string, path: string, params: QueryParam[]): ParsedAuth {
  const fields = parseAuthorization(authorization);
  const amzDateHeader = headerValue(headers, "x-amz-date");
  let dateHeader = amzDateHeader === undefined ? headerValue(headers, "date") : undefined;
  // An unreadable Date header is no date at all.
  const dateHeaderTime = dateHeader === undefined ? NaN : Date.parse(dateHeader);
  if (Number.isNaN(dateHeaderTime)) dateHeader = undefined;
  if (fields.credential === undefined || fields.signature === undefined || fields.signedHeaders === undefined ||
      (amzDateHeader === undefined && dateHeader === undefined)) {
    let message = "";
    if (fields.credential === undefined) message += "Authorization header requires 'Credential' parameter. ";
    if (fields.signature === undefined) message += "Authorization header requires 'Signature' parameter. ";
    if (fields.signedHeaders === undefined) message += "Authorization header requires 'SignedHeaders' parameter. ";
    if (amzDateHeader === undefined && dateHeader === undefined) {
      message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    throw incomplete(message + "Authorization=" + authorization);
  }
  if (fields.algorithm !== ALGORITHM) throw incomplete(text.unsupportedAlgorithm);
  const scope = parseScope(fields.credential);

  let signedAt: number;
  let amzDate: string;
  let dateSource: string;
  if (amzDateHeader !== undefined) {
    signedAt = parseAmzDate(amzDateHeader);
    if (Number.isNaN(signedAt)) throw incomplete(text.badAmzDate);
    amzDate = amzDateHeader;
    dateSource = amzDateHeader;
  } else {
    // Date header (RFC 7231); the string to sign still carries the ISO 8601 basic form.
    dateSource = dateHeader as string;
    signedAt = dateHeaderTime;
    amzDate = formatAmzDate(signedAt);
  }

  const signedHeaderNames = splitSignedHeaders(fields.signedHeaders);
  // §2.2: host must be signed; so must x-amz-date when it dates the request, and a session token
  // header (clients always sign it; accepting it unsigned would let it be swapped).
  if (!signedHeaderNames.includes("host")) throw incomplete(text.hostNotSigned);
  if (amzDateHeader !== undefined && !signedHeaderNames.includes("x-amz-date")) {
    throw incomplete(text.mustBeSigned("X-Amz-Date"));
  }
  const sessionToken = headerValue(headers, "x-amz-security-token");
  if (sessionToken !== undefined && !signedHeaderNames.includes("x-amz-security-token")) {
    throw incomplete(text.mustBeSigned("X-Amz-Security-Token"));
  }

  return {
    presigned: false,
    ...scope,
    signedHeaders: fields.signedHeaders,
    signedHeaderNames,
    signature: fields.signature,
    amzDate,
    dateSource,
    signedAt,
    expiresSeconds: 0,
    sessionToken,
    payloadHashClaim: headerValue(headers, "x-amz-content-sha256"),
    path,
    params,
  };
}

function parseExpires(raw: string): number {
  if (raw.length === 0 || raw.length > 9) {
    throw incomplete(raw.length === 0 ? text.expiresNotNumber : text.expiresTooLarge);
  }
  let value = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!isDigit(c)) throw incomplete(text.expiresNotNumber);
    value = value * 10 + (c - 0x30);
  }
  if (value < 1) throw incomplete(text.expiresTooSmall);
  if (value > MAX_PRESIGN_EXPIRES_S) throw incomplete(text.expiresTooLarge);
  return value;
}

function parseQueryForm(headers: HeaderTable, path: string, params: QueryParam[]): ParsedAuth {
  let algorithm: string | undefined;
  let credential: string | undefined;
  let amzDate: string | undefined;
  let expires: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let sessionToken: string | undefined;
  let contentSha256: string | undefined;
  for (const p of params) {
    const name = decodeComponent(p.name);
    if (name.length < 6 || name.charCodeAt(0) !== 0x58) continue; // every name below starts with "X-Amz-"
    switch (name) {
      case "X-Amz-Algorithm": algorithm ??= decodeComponent(p.value); break;
      case "X-Amz-Credential": credential ??= decodeComponent(p.value); break;
      case "X-Amz-Date": amzDate ??= decodeComponent(p.value); break;
      case "X-Amz-Expires": expires ??= decodeComponent(p.value); break;
      case "X-Amz-SignedHeaders": signedHeaders ??= decodeComponent(p.value); break;
      case "X-Amz-Signature": signature ??= decodeComponent(p.value); break;
      case "X-Amz-Security-Token": sessionToken ??= decodeComponent(p.value); break;
      // smithy hoists an x-amz-content-sha256 header into the query when presigning.
      case "X-Amz-Content-Sha256": contentSha256 ??= decodeComponent(p.value); break;
    }
  }
  // "X-Amz-Algorithm=" was only seen inside some other parameter's value: not a presigned URL.
  if (algorithm === undefined) throw new SigV4Error(MISSING, text.missingToken);
  if (algorithm !== ALGORITHM) throw incomplete(text.unsupportedAlgorithm);
  if (credential === undefined) throw incomplete(text.queryParamRequired("X-Amz-Credential"));
  if (signature === undefined) throw incomplete(text.queryParamRequired("X-Amz-Signature"));
  if (signedHeaders === undefined) throw incomplete(text.queryParamRequired("X-Amz-SignedHeaders"));
  if (amzDate === undefined) throw incomplete(text.queryParamRequired("X-Amz-Date"));
  if (expires === undefined) throw incomplete(text.queryParamRequired("X-Amz-Expires"));
  const scope = parseScope(credential);
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) throw incomplete(text.badAmzDate);
  const expiresSeconds = parseExpires(expires);
  const signedHeaderNames = splitSignedHeaders(signedHeaders);
  if (!signedHeaderNames.includes("host")) throw incomplete(text.hostNotSigned);
  return {
    presigned: true,
    ...scope,
    signedHeaders,
    signedHeaderNames,
    signature,
    amzDate,
    dateSource: amzDate,
    signedAt,
    expiresSeconds,
    sessionToken,
    payloadHashClaim: headerValue(headers, "x-amz-content-sha256") ?? contentSha256,
    path,
    params,
  };
}

function hasAlgorithmParam(query: string): boolean {
  return query.indexOf("X-Amz-Algorithm=") !== -1;
}

function parseRequestAuth(req: HttpRequestForSigning, headers: HeaderTable): ParsedAuth {
  const { path, query } = splitUrl(req.rawUrl);
  const params = query.length === 0 ? [] : parseQuery(query);
  const authorization = headers.get("authorization");
  if (authorization !== undefined) {
    const raw = typeof authorization === "string" ? authorization : authorization.join(",");
    return parseHeaderForm(headers, raw, path, params);
  }
  if (hasAlgorithmParam(query)) return parseQueryForm(headers, path, params);
  throw new SigV4Error(MISSING, text.missingToken);
}

// ---------------------------------------------------------------------------------------------
// Canonical request (§2.2) and string to sign (§2.3)

/** Non-S3 canonical URI: normalise dot and empty segments, then encode the wire path again. */
function canonicalUri(path: string): string {
  if (path === "/" || path.length === 0) return "/";
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment.length === 0 || segment === ".") continue;
    if (segment === "..") kept.pop();
    else kept.push(segment);
  }
  const leading = path.charCodeAt(0) === 0x2f ? "/" : "";
  const trailing = kept.length > 0 && path.charCodeAt(path.length - 1) === 0x2f ? "/" : "";
  const normalised = leading + kept.join("/") + trailing;
  return normalised.length === 0 ? "/" : sigv4Encode(normalised, false, true);
}

function canonicalQuery(params: readonly QueryParam[], presigned: boolean): string {
  if (params.length === 0) return "";
  const pairs: Array<[string, string]> = [];
  for (const p of params) {
    const name = sigv4Encode(p.name, true, false);
    if (presigned && name === "X-Amz-Signature") continue;
    pairs.push([name, sigv4Encode(p.value, true, false)]);
  }
  // Byte order of the encoded names, ties by encoded value (the encoded forms are ASCII, so
  // UTF-16 comparison is byte comparison).
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = "";
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as [string, string];
    out += (i === 0 ? "" : "&") + pair[0] + "=" + pair[1];
  }
  return out;
}

/** undefined when a listed header is absent, which can only end in a signature mismatch. */
function canonicalHeaders(headers: HeaderTable, names: readonly string[]): string | undefined {
  let out = "";
  for (const name of names) {
    const value = headers.get(name);
    if (value === undefined) return undefined;
    out += name + ":" + canonicalValue(value) + "\n";
  }
  return out;
}


function bodyHash(body: Buffer): string {
  return body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
}

function buildCanonicalRequest(
  req: HttpRequestForSigning,
  headers: HeaderTable,
  auth: ParsedAuth,
  payloadHash: string,
): string | undefined {
  const block = canonicalHeaders(headers, auth.signedHeaderNames);
  if (block === undefined) return undefined;
  return (
    req.method + "\n" +
    canonicalUri(auth.path) + "\n" +
    canonicalQuery(auth.params, auth.presigned) + "\n" +
    block + "\n" +
    auth.signedHeaders + "\n" +
    payloadHash
  );
}

function buildStringToSign(auth: ParsedAuth, canonicalRequest: string): string {
  return ALGORITHM + "\n" + auth.amzDate + "\n" + auth.scope + "\n" + sha256Hex(canonicalRequest);
}

/**
 * The hash that ends the canonical request (§2.2): the x-amz-content-sha256 value verbatim when
 * present, else the body's hash. A claimed digest is also checked against the body, because a
 * signed but false digest would otherwise let the body be replaced.
 */
function resolvePayloadHash(auth: ParsedAuth, body: Buffer, allowUnsigned: boolean): string {
  const claim = auth.payloadHashClaim;
  if (claim === undefined) return bodyHash(body);
  if (claim === UNSIGNED_PAYLOAD) {
    if (!allowUnsigned) throw new SigV4Error(INVALID, text.payloadHashShape);
    return claim;
  }
  if (!isHex64(claim)) throw new SigV4Error(INVALID, text.payloadHashShape);
  const actual = bodyHash(body);
  const claimed = isLowerHex64(claim) ? claim : claim.toLowerCase();
  if (claimed !== actual) throw new SigV4Error(INVALID, text.payloadHashMismatch);
  return claim;
}

// ---------------------------------------------------------------------------------------------
// Checks (§2.5, §2.6)

function checkScope(auth: ParsedAuth, opts: VerifyOptions): void {
  if (opts.expectedService !== undefined && auth.service !== opts.expectedService) {
    throw new SigV4Error(INVALID, text.wrongService(opts.expectedService));
  }
  if (!opts.isValidRegion(auth.region)) throw new SigV4Error(INVALID, text.wrongRegion(auth.region));
  const requestDate = auth.amzDate.slice(0, 8);
  if (auth.scopeDate !== requestDate) {
    throw new SigV4Error(INVALID, text.wrongDate(auth.scopeDate, requestDate, auth.dateSource));
  }
  if (auth.terminator !== TERMINATOR) throw new SigV4Error(INVALID, text.wrongTerminator(auth.terminator));
}

async function resolveCredential(auth: ParsedAuth, opts: VerifyOptions): Promise<Credential> {
  const invalid = () => new SigV4Error(UNRECOGNIZED, text.invalidToken);
  const { accessKeyId, sessionToken } = auth;
  // Long-term keys never carry a token; temporary keys always do (§2.5 step 6).
  if (sessionToken !== undefined && accessKeyId.startsWith("AKIA")) throw invalid();
  if (sessionToken === undefined && accessKeyId.startsWith("ASIA")) throw invalid();
  const credential = await opts.lookup(accessKeyId, sessionToken);
  if (credential === undefined || typeof credential.secretAccessKey !== "string") throw invalid();
  if (typeof credential.sessionToken === "string" &&
      (sessionToken === undefined || !secretsEqual(sessionToken, credential.sessionToken))) {
    throw invalid();
  }
  if (typeof credential.expiresAt === "number" && opts.now >= credential.expiresAt) {
    throw new SigV4Error(EXPIRED, text.expiredToken);
  }
  return credential;
}

function checkTime(auth: ParsedAuth, now: number, skewMs: number): void {
  const at = auth.signedAt;
  if (at > now + skewMs) {
    throw new SigV4Error(
      INVALID,
      `Signature not yet current: ${formatAmzDate(at)} is still later than ${formatAmzDate(now + skewMs)} (${formatAmzDate(now)} + ${formatDuration(skewMs)})`,
    );
  }
  // Header form: the skew window. Presigned form: valid until X-Amz-Date + X-Amz-Expires.
  const window = auth.presigned ? auth.expiresSeconds * 1000 : skewMs;
  if (at < now - window) {
    throw new SigV4Error(
      INVALID,
      `Signature expired: ${formatAmzDate(at)} is now earlier than ${formatAmzDate(now - window)} (${formatAmzDate(now)} - ${formatDuration(window)})`,
    );
  }
}

function signatureMismatch(opts: VerifyOptions, canonicalRequest: string, stringToSign: string): SigV4Error {
  const message = opts.explainMismatch === true
    ? text.mismatch + text.mismatchExplained(canonicalRequest, stringToSign)
    : text.mismatch;
  return new SigV4Error(INVALID, message, { canonicalRequest, stringToSign });
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Verifies a SigV4-signed request and returns who signed it. Throws SigV4Error; the checks run in
 * the order of §2.5 so that the first failing rule decides the error, as on AWS.
 */
export async function verifySigV4(req: HttpRequestForSigning, opts: VerifyOptions): Promise<VerifiedIdentity> {
  const headers = readHeaders(req.rawHeaders);
  const auth = parseRequestAuth(req, headers);
  checkScope(auth, opts);
  const credential = await resolveCredential(auth, opts);
  checkTime(auth, opts.now, opts.skewMs ?? DEFAULT_SKEW_MS);

  const payloadHash = resolvePayloadHash(auth, req.body, opts.allowUnsignedPayload === true);
  const canonicalRequest = buildCanonicalRequest(req, headers, auth, payloadHash);
  if (canonicalRequest === undefined) throw signatureMismatch(opts, "", "");
  const stringToSign = buildStringToSign(auth, canonicalRequest);
  const key = signingKeyFor(opts.signingKeyCache ?? defaultSigningKeyCache, auth, credential);
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  // Both sides are ASCII; equal length is required by timingSafeEqual and reveals nothing secret.
  if (auth.signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(expected, "latin1"), Buffer.from(auth.signature, "latin1"))) {
    throw signatureMismatch(opts, canonicalRequest, stringToSign);
  }
  return {
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    service: auth.service,
    credential,
    sessionToken: auth.sessionToken,
    signedAt: auth.signedAt,
    presigned: auth.presigned,
    unsignedPayload: payloadHash === UNSIGNED_PAYLOAD,
  };
}

/**
 * The server's view of a signed request, without credentials or checks beyond parsing: for
 * debugging logs and for reproducing the reference test vectors. Throws SigV4Error when the
 * signature cannot be parsed. `canonicalRequest` is undefined when a signed header is absent.
 */
export function describeSigV4(req: HttpRequestForSigning): {
  accessKeyId: string;
  scope: string;
  signedHeaders: string;
  canonicalRequest: string | undefined;
  stringToSign: string | undefined;
} {
  const headers = readHeaders(req.rawHeaders);
  const auth = parseRequestAuth(req, headers);
  const payloadHash = auth.payloadHashClaim ?? bodyHash(req.body);
  const canonicalRequest = buildCanonicalRequest(req, headers, auth, payloadHash);
  return {
    accessKeyId: auth.accessKeyId,
    scope: auth.scope,
    signedHeaders: auth.signedHeaders,
    canonicalRequest,
    stringToSign: canonicalRequest === undefined ? undefined : buildStringToSign(auth, canonicalRequest),
  };
}

function findCredentialInAuthorization(value: string): string | undefined {
  const at = value.indexOf("Credential=");
  if (at === -1) return undefined;
  const start = at + "Credential=".length;
  let end = start;
  while (end < value.length && !isAuthSeparator(value.charCodeAt(end))) end++;
  return value.slice(start, end);
}

function findCredentialInQuery(query: string): string | undefined {
  if (!hasAlgorithmParam(query)) return undefined;
  const marker = "X-Amz-Credential=";
  let at = query.indexOf(marker);
  // Only a parameter name counts, not the same text inside another parameter's value.
  while (at > 0 && query.charCodeAt(at - 1) !== 0x26) at = query.indexOf(marker, at + 1);
  if (at === -1) return undefined;
  const start = at + marker.length;
  let end = query.indexOf("&", start);
  if (end === -1) end = query.length;
  return decodeComponent(query.slice(start, end));
}

/**
 * A cheap look at the credential scope, without verifying anything, so that requests can be
 * routed by signing name before verification. Undefined when there is no well-formed scope.
 */
export function scopeOf(req: HttpRequestForSigning): { accessKeyId: string; region: string; service: string } | undefined {
  let credential: string | undefined;
  let headerForm = false;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === "authorization") {
      // Same precedence as verifySigV4: an Authorization header decides the form.
      headerForm = true;
      credential = findCredentialInAuthorization(raw[i + 1] as string);
      break;
    }
  }
  if (!headerForm) {
    const q = req.rawUrl.indexOf("?");
    if (q !== -1) credential = findCredentialInQuery(req.rawUrl.slice(q + 1));
  }
  if (credential === undefined) return undefined;
  const parts = splitCredential(credential);
  return parts === undefined ? undefined : { accessKeyId: parts.accessKeyId, region: parts.region, service: parts.service };
}
