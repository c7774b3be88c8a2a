// Access key → credential for SigV4 verification, with the Caller it stands for (principal and
// policies, authorize-principals.ts). Long-term keys (AKIA…: account roots and IAM users) rest
// sealed under the root key; temporary keys (ASIA…) are STS sessions, whose secret only the
// session token opens (services/sts/session-credentials.ts).
//
// The hot path must not touch the store, so credentials are cached in memory. The cache is
// emptied at once after an identity change made by this process (invalidate()), and whenever the
// store's identity generation moves, which is read at most once per `refreshMs`: a change made
// by another process (a deleted key, a detached policy) takes effect here within that time, as
// IAM's own changes propagate within seconds. Only known keys are cached, so a key made a moment
// ago elsewhere works at once.
import type { Keyring } from "../crypto/keyring.js";
import type { Credential } from "../protocol/sigv4.js";
import type { Caller } from "../services/context.js";
import { accessKeyAad } from "../services/iam/credentials.js";
import { openSessionSecret, tokenMatches } from "../services/sts/session-credentials.js";
import type { Store } from "../store/store.js";
import { callerOfKey, callerOfSession } from "./authorize-principals.js";

export { accessKeyAad } from "../services/iam/credentials.js";

export interface CallerCredential extends Credential {
  accountId: string;
  principalArn: string;
  caller: Caller;
}

interface Entry {
  credential: CallerCredential;
  /** Temporary keys: the hash of the token the request must present. */
  tokenHash?: string;
}

const MAX_ENTRIES = 10_000;
export const DEFAULT_REFRESH_MS = 1_000;

export interface AccessKeyDirectoryOptions {
  partition?: string;
  /** How often the identity generation is compared, ms. */
  refreshMs?: number;
}

export class AccessKeyDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly partition: string;
  private readonly refreshMs: number;
  private generation: number | undefined;
  private checkedAt = -Infinity;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    options: AccessKeyDirectoryOptions = {},
  ) {
    this.partition = options.partition ?? "aws";
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  }

  lookup = async (accessKeyId: string, sessionToken: string | undefined): Promise<CallerCredential | undefined> => {
    const now = Date.now();
    if (now - this.checkedAt >= this.refreshMs) await this.refresh(now);
    let entry = this.cache.get(accessKeyId);
    if (entry === undefined) {
      entry = accessKeyId.startsWith("ASIA") ? await this.loadSession(accessKeyId, sessionToken) : await this.loadKey(accessKeyId);
      if (entry === undefined) return undefined;
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(accessKeyId, entry);
    }
    if (entry.tokenHash === undefined) return sessionToken === undefined ? entry.credential : undefined;
    return sessionToken !== undefined && tokenMatches(sessionToken, entry.tokenHash) ? entry.credential : undefined;
  };

  /** Forgets every cached credential (after an identity change made by this process). */
  invalidate(): void {
    this.cache.clear();
  }

  private refresh(now: number): Promise<void> {
    this.checking ??= this.store.identity
      .getGeneration()
      .then((generation) => {
        if (generation !== this.generation) {
          this.generation = generation;
          this.cache.clear();
        }
        this.checkedAt = now;
      })
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async loadKey(accessKeyId: string): Promise<Entry | undefined> {
    const row = await this.store.getAccessKey(accessKeyId);
    if (!row || row.status !== "Active") return undefined;
    const caller = await callerOfKey(this.store, row);
    if (!caller) return undefined;
    const secret = await this.keyring.unwrapWithRootFresh(row.sealedSecret, accessKeyAad(accessKeyId));
    return {
      credential: {
        secretAccessKey: secret.toString("utf8"),
        version: String(row.createdAt),
        accountId: caller.accountId,
        principalArn: caller.principalArn,
        caller,
      },
    };
  }

  private async loadSession(accessKeyId: string, sessionToken: string | undefined): Promise<Entry | undefined> {
    if (sessionToken === undefined) return undefined;
    const row = await this.store.identity.getSession(accessKeyId);
    if (!row || !tokenMatches(sessionToken, row.tokenHash)) return undefined;
    const secret = openSessionSecret(row.sealedSecret, sessionToken, accessKeyId);
    if (secret === undefined) return undefined;
    const caller = await callerOfSession(this.store, this.partition, row);
    if (!caller) return undefined;
    return {
      credential: {
        secretAccessKey: secret,
        version: String(row.issuedAt),
        expiresAt: row.expiresAt,
        accountId: caller.accountId,
        principalArn: caller.principalArn,
        caller,
      },
      tokenHash: row.tokenHash,
    };
  }
}
