// Access key → credential for SigV4 verification. Secret access keys rest sealed under the root
// key; unsealed ones are kept in memory briefly so the hot path does not touch the store.
import type { Keyring } from "../crypto/keyring.js";
import type { Credential } from "../protocol/sigv4.js";
import type { Store } from "../store/store.js";

export interface CallerCredential extends Credential {
  accountId: string;
  principalArn: string;
}

const CACHE_TTL_MS = 30_000;

export const accessKeyAad = (accessKeyId: string) => `coffer:access-key:${accessKeyId}`;

export class AccessKeyDirectory {
  private readonly cache = new Map<string, { credential: CallerCredential; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
  ) {}

  /** Long-term keys only for now: a session token with one is refused (as unknown). */
  lookup = async (accessKeyId: string, sessionToken: string | undefined): Promise<CallerCredential | undefined> => {
    if (sessionToken !== undefined) return undefined;
    const now = Date.now();
    const hit = this.cache.get(accessKeyId);
    if (hit && hit.until > now) return hit.credential;
    const row = await this.store.getAccessKey(accessKeyId);
    const credential =
      row && row.status === "Active"
        ? {
            secretAccessKey: this.keyring.unwrapWithRoot(row.sealedSecret, accessKeyAad(accessKeyId)).toString("utf8"),
            version: String(row.createdAt),
            accountId: row.accountId,
            principalArn: row.principalArn,
          }
        : undefined;
    // Only known keys are cached: a key made a moment ago elsewhere must work at once.
    if (credential) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(accessKeyId, { credential, until: now + CACHE_TTL_MS });
    }
    return credential;
  };
}
