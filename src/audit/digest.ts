// Signed digests over ranges of the audit chain, in the spirit of CloudTrail's digest files
// (security-and-identity.md §6.7): each digest names the last record of its range by seq and
// hash, carries the hash and signature of the digest before it, and is signed with the
// server's Ed25519 key. With the public key alone a verifier can check a range offline:
// digest signatures and links, then verifyChain(records, { startAfter, through }) between two
// digests. Retention may delete records a digest covers and keep the digest, whose lastSeq
// and lastHash then anchor the first remaining record.

import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { canonicalJson, type ChainLink, sha256Hex } from "./chain.js";
import { formatEventTime } from "./parameters.js";

export const DIGEST_VERSION = 1;
export const DIGEST_SIGNATURE_ALGORITHM = "Ed25519";

export interface DigestRange {
  /** First seq covered; lastSeq = firstSeq - 1 for a period with no records. */
  firstSeq: number;
  lastSeq: number;
  /** Hash of record lastSeq (or of the record before the range when it is empty). */
  lastHash: string;
  startTime: Date | number | string;
  endTime: Date | number | string;
}

/** The signed part of a digest. */
export interface DigestBody {
  version: number;
  firstSeq: number;
  lastSeq: number;
  lastHash: string;
  startTime: string;
  endTime: string;
  previousDigestHash: string | null;
  previousDigestSignature: string | null;
  signatureAlgorithm: string;
  /** Hex SHA-256 of the signing key's DER SubjectPublicKeyInfo. */
  publicKeyFingerprint: string;
}

export interface Digest extends DigestBody {
  /** Hex SHA-256 of the canonical body; the next digest's previousDigestHash. */
  hash: string;
  /** Hex Ed25519 signature over the canonical body. */
  signature: string;
}

export interface DigestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type DigestChainVerdict = { ok: true; count: number } | { ok: false; index: number; detail: string };

export function generateDigestKeyPair(): DigestKeyPair {
  return generateKeyPairSync("ed25519");
}

export function exportPublicKeyPem(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}

export function importPublicKeyPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new TypeError("digest keys are Ed25519");
  return key;
}

export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
}

export function makeDigest(
  range: DigestRange,
  previousDigest: Pick<Digest, "signature" | "hash"> | undefined,
  privateKey: KeyObject,
): Digest {
  if (privateKey.type !== "private" || privateKey.asymmetricKeyType !== "ed25519") {
    throw new TypeError("digests are signed with an Ed25519 private key");
  }
  if (!Number.isSafeInteger(range.firstSeq) || !Number.isSafeInteger(range.lastSeq) || range.lastSeq < range.firstSeq - 1) {
    throw new RangeError(`bad digest range ${range.firstSeq}..${range.lastSeq}`);
  }
  const body: DigestBody = {
    version: DIGEST_VERSION,
    firstSeq: range.firstSeq,
    lastSeq: range.lastSeq,
    lastHash: range.lastHash,
    startTime: formatEventTime(new Date(range.startTime).getTime()),
    endTime: formatEventTime(new Date(range.endTime).getTime()),
    previousDigestHash: previousDigest?.hash ?? null,
    previousDigestSignature: previousDigest?.signature ?? null,
    signatureAlgorithm: DIGEST_SIGNATURE_ALGORITHM,
    publicKeyFingerprint: publicKeyFingerprint(privateKey),
  };
  const canonical = canonicalJson(body);
  return {
    ...body,
    hash: sha256Hex(canonical),
    signature: sign(null, Buffer.from(canonical, "utf8"), privateKey).toString("hex"),
  };
}

/** True when the digest is exactly what the holder of the key signed. */
export function verifyDigest(digest: Digest, publicKeyPem: string): boolean {
  let key: KeyObject;
  try {
    key = importPublicKeyPem(publicKeyPem);
  } catch {
    return false;
  }
  const body = digestBody(digest);
  if (body === undefined || body.publicKeyFingerprint !== publicKeyFingerprint(key)) return false;
  const canonical = canonicalJson(body);
  if (digest.hash !== sha256Hex(canonical) || !/^[0-9a-f]+$/.test(digest.signature)) return false;
  try {
    return verify(null, Buffer.from(canonical, "utf8"), key, Buffer.from(digest.signature, "hex"));
  } catch {
    return false;
  }
}

/**
 * Checks a run of digests oldest first: each is validly signed, links to the one before by
 * hash and signature, and starts its range where the one before ended.
 */
export function verifyDigestChain(digests: Iterable<Digest>, publicKeyPem: string): DigestChainVerdict {
  let prev: Digest | undefined;
  let index = 0;
  for (const digest of digests) {
    if (!verifyDigest(digest, publicKeyPem)) return { ok: false, index, detail: "signature or content does not verify" };
    if (prev !== undefined) {
      if (digest.previousDigestHash !== prev.hash || digest.previousDigestSignature !== prev.signature) {
        return { ok: false, index, detail: "does not link to the digest before it" };
      }
      if (digest.firstSeq !== prev.lastSeq + 1) {
        return { ok: false, index, detail: `covers from seq ${digest.firstSeq}, the digest before ended at ${prev.lastSeq}` };
      }
      if (digest.firstSeq > digest.lastSeq && digest.lastHash !== prev.lastHash) {
        return { ok: false, index, detail: "an empty range must carry the previous range's last hash" };
      }
    }
    prev = digest;
    index++;
  }
  return { ok: true, count: index };
}

/** The chain link a digest vouches for: pass as startAfter (pruned prefix) or through (range end). */
export function digestLink(digest: Pick<Digest, "lastSeq" | "lastHash">): ChainLink {
  return { seq: digest.lastSeq, hash: digest.lastHash };
}

// Rebuilds the signed body from its own fields only, so the check covers exactly what was
// signed; a stored digest missing any of them does not verify.
function digestBody(digest: Digest): DigestBody | undefined {
  if (typeof digest !== "object" || digest === null) return undefined;
  const body: DigestBody = {
    version: digest.version,
    firstSeq: digest.firstSeq,
    lastSeq: digest.lastSeq,
    lastHash: digest.lastHash,
    startTime: digest.startTime,
    endTime: digest.endTime,
    previousDigestHash: digest.previousDigestHash,
    previousDigestSignature: digest.previousDigestSignature,
    signatureAlgorithm: digest.signatureAlgorithm,
    publicKeyFingerprint: digest.publicKeyFingerprint,
  };
  if (Object.values(body).some((value) => value === undefined)) return undefined;
  if (typeof digest.hash !== "string" || typeof digest.signature !== "string") return undefined;
  return body;
}
