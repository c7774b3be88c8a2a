// The types, errors and message texts of SigV4 verification (security reference §2).
import type { SigningKeyCache } from "./signing-key.js";

export interface HttpRequestForSigning {
  /** As received. */
  method: string;
  /** Path and optional `?query` exactly as on the wire (Node's `req.url`). */
  rawUrl: string;
  /** Node's `req.rawHeaders`: flat [name, value, name, value, …], duplicates preserved. */
  rawHeaders: readonly string[];
  /** The same by lower-cased name, when the HTTP layer already made it (else made from rawHeaders). */
  headerTable?: Map<string, string | string[]>;
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

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const TERMINATOR = "aws4_request";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
export const DEFAULT_SKEW_MS = 5 * 60_000;
/** smithy refuses to presign beyond seven days; AWS uses the same bound (§2.6). */
export const MAX_PRESIGN_EXPIRES_S = 604_800;

export const MISSING = "MissingAuthenticationTokenException";
export const INCOMPLETE = "IncompleteSignatureException";
export const INVALID = "InvalidSignatureException";
export const UNRECOGNIZED = "UnrecognizedClientException";
export const EXPIRED = "ExpiredTokenException";

/** AWS's texts where observed (§2.1, §2.5, §2.6, §2.8); the others are marked unverified in the spec. */
export const text = {
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
