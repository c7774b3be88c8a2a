// Derived SigV4 signing keys (§2.4) and their bounded cache.
import { createHash, createHmac } from "node:crypto";
import type { ParsedAuth } from "./request-auth.js";
import { type Credential, TERMINATOR } from "./types.js";

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

export const defaultSigningKeyCache = new SigningKeyCache();

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

export function signingKeyFor(cache: SigningKeyCache, auth: ParsedAuth, credential: Credential): Buffer {
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
