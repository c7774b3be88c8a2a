// Server-side verification of AWS Signature Version 4, header form and presigned query form.
// The rules reproduced here are those of the security reference §2: canonical request (§2.2),
// string to sign (§2.3), signing key (§2.4), the order of scope/identity checks (§2.5) and the
// clock-skew window (§2.6). Error codes use the awsJson spellings; the caller maps them to HTTP
// (and to the awsQuery spellings for STS).
//
// This runs on every request, so the per-request path avoids regular expressions and keeps
// allocations to the strings it must build; derived signing keys are cached so an ordinary
// request costs one HMAC plus the SHA-256 of the body and of the canonical request.
//
// The parts live in ./sigv4/: types and texts, signing keys, character helpers, reading the
// request's signature, and the canonical request; this module checks and verifies.

import { createHmac, timingSafeEqual } from "node:crypto";
import { bodyHash, buildCanonicalRequest, buildStringToSign, resolvePayloadHash } from "./sigv4/canonical.js";
import { decodeComponent, formatAmzDate, formatDuration, secretsEqual } from "./sigv4/chars.js";
import {
  type ParsedAuth,
  hasAlgorithmParam,
  isAuthSeparator,
  parseRequestAuth,
  readHeaders,
  splitCredential,
} from "./sigv4/request-auth.js";
import { defaultSigningKeyCache, signingKeyFor } from "./sigv4/signing-key.js";
import {
  type Credential,
  DEFAULT_SKEW_MS,
  EXPIRED,
  type HttpRequestForSigning,
  INVALID,
  SigV4Error,
  TERMINATOR,
  UNRECOGNIZED,
  UNSIGNED_PAYLOAD,
  type VerifiedIdentity,
  type VerifyOptions,
  text,
} from "./sigv4/types.js";

export type { Credential, CredentialLookup, HttpRequestForSigning, VerifiedIdentity, VerifyOptions } from "./sigv4/types.js";
export { SigV4Error } from "./sigv4/types.js";
export { SigningKeyCache, deriveSigningKey } from "./sigv4/signing-key.js";
export { formatAmzDate } from "./sigv4/chars.js";

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
  const headers = req.headerTable ?? readHeaders(req.rawHeaders);
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
