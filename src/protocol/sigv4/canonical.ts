// The canonical request (§2.2), the string to sign (§2.3) and the payload hash.
import { sha256Hex } from "../../crypto/sha256.js";
import { isHex64, isLowerHex64, sigv4Encode } from "./chars.js";
import { type HeaderTable, type ParsedAuth, type QueryParam, canonicalValue } from "./request-auth.js";
import {
  ALGORITHM,
  EMPTY_SHA256,
  type HttpRequestForSigning,
  INVALID,
  SigV4Error,
  UNSIGNED_PAYLOAD,
  text,
} from "./types.js";

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

export function bodyHash(body: Buffer): string {
  return body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
}

export function buildCanonicalRequest(
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

export function buildStringToSign(auth: ParsedAuth, canonicalRequest: string): string {
  return ALGORITHM + "\n" + auth.amzDate + "\n" + auth.scope + "\n" + sha256Hex(canonicalRequest);
}

/**
 * The hash that ends the canonical request (§2.2): the x-amz-content-sha256 value verbatim when
 * present, else the body's hash. A claimed digest is also checked against the body, because a
 * signed but false digest would otherwise let the body be replaced.
 */
export function resolvePayloadHash(auth: ParsedAuth, body: Buffer, allowUnsigned: boolean): string {
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
