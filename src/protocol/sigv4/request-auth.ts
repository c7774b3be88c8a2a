// Reading a request's signature: its headers and query (header form and presigned form, §2.1).
import { decodeComponent, foldWhitespace, formatAmzDate, isBlank, isDigit, parseAmzDate } from "./chars.js";
import {
  ALGORITHM,
  type HttpRequestForSigning,
  INCOMPLETE,
  MAX_PRESIGN_EXPIRES_S,
  MISSING,
  SigV4Error,
  text,
} from "./types.js";

/**
 * Lower-cased header name → raw value(s) in arrival order. Node decodes header bytes as latin1;
 * the clients that matter (Node's and Python's HTTP stacks) also write header strings as latin1
 * while signing their UTF-8 form, so hashing the decoded string as UTF-8 agrees with them.
 */
export type HeaderTable = Map<string, string | string[]>;

export function readHeaders(raw: readonly string[]): HeaderTable {
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
export function canonicalValue(value: string | string[]): string {
  if (typeof value === "string") return foldWhitespace(value);
  let out = foldWhitespace(value[0] as string);
  for (let i = 1; i < value.length; i++) out += "," + foldWhitespace(value[i] as string);
  return out;
}

function headerValue(table: HeaderTable, name: string): string | undefined {
  const value = table.get(name);
  return value === undefined ? undefined : canonicalValue(value);
}

export interface QueryParam {
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

/** The credential scope's parts (`keyid/date/region/service/terminator`). */
interface ScopeParts {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  /** `date/region/service/terminator`, as it goes into the string to sign. */
  scope: string;
}

export interface ParsedAuth extends ScopeParts {
  presigned: boolean;
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

export function isAuthSeparator(c: number): boolean {
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

export function splitCredential(credential: string): ScopeParts | undefined {
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

export function hasAlgorithmParam(query: string): boolean {
  return query.indexOf("X-Amz-Algorithm=") !== -1;
}

export function parseRequestAuth(req: HttpRequestForSigning, headers: HeaderTable): ParsedAuth {
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
