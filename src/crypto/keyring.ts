// The key hierarchy: root key → KMS key material → per-version data keys. The keyring unwraps
// KMS key material once and keeps it in memory; data keys are never cached.
import { randomBytes, randomUUID } from "node:crypto";
import type { Store } from "../store/store.js";
import { UniqueViolationError } from "../store/store.js";
import { AuthenticationFailed, openAead, sealAead } from "./aead.js";
import { DataKeyCache } from "./data-key-cache.js";
import type { RootKey } from "./root-key.js";

const WRAP_FORMAT = 1;
export const MANAGED_SECRETS_KEY_ALIAS = "alias/aws/secretsmanager";

export interface KmsKey {
  arn: string;
  keyId: string;
  material: Buffer;
}

export class Keyring {
  /** Unwrapped data keys of recently read versions (memory only, bounded, short-lived). */
  readonly dataKeys = new DataKeyCache();
  private readonly keys = new Map<string, KmsKey>();
  private readonly managed = new Map<string, Promise<KmsKey>>();

  constructor(
    private readonly store: Store,
    private readonly root: RootKey,
  ) {}

  /** Wraps bytes under the root key. Layout: format(1) | root key id (16 ascii) | aead. */
  wrapWithRoot(plaintext: Buffer, aad: string): Buffer {
    return Buffer.concat([
      Buffer.from([WRAP_FORMAT]),
      Buffer.from(this.root.id, "ascii"),
      sealAead(this.root.material, plaintext, Buffer.from(aad)),
    ]);
  }

  unwrapWithRoot(blob: Buffer, aad: string): Buffer {
    if (blob[0] !== WRAP_FORMAT) throw new AuthenticationFailed();
    if (blob.subarray(1, 17).toString("ascii") !== this.root.id) throw new AuthenticationFailed();
    return openAead(this.root.material, blob.subarray(17), Buffer.from(aad));
  }

  /** The account's AWS-managed Secrets Manager key for a region, made on first use. */
  managedSecretsKey(accountId: string, region: string): Promise<KmsKey> {
    const cacheKey = `${accountId}/${region}`;
    let pending = this.managed.get(cacheKey);
    if (!pending) {
      pending = this.loadOrCreateManagedKey(accountId, region);
      this.managed.set(cacheKey, pending);
      pending.catch(() => this.managed.delete(cacheKey));
    }
    return pending;
  }

  /** Key material by key ARN (cached after the first unwrap). */
  async keyByArn(accountId: string, region: string, keyArn: string): Promise<KmsKey> {
    const cached = this.keys.get(keyArn);
    if (cached) return cached;
    const keyId = keyArn.slice(keyArn.lastIndexOf("/") + 1);
    const row = await this.store.getKmsKey(accountId, region, keyId);
    if (!row) throw new Error(`KMS key not found: ${keyArn}`);
    return this.remember({ arn: row.arn, keyId: row.keyId, material: this.unwrapWithRoot(row.wrappedMaterial, row.arn) });
  }

  private remember(key: KmsKey): KmsKey {
    this.keys.set(key.arn, key);
    return key;
  }

  private async loadOrCreateManagedKey(accountId: string, region: string): Promise<KmsKey> {
    const existing = await this.store.getKmsKeyByAlias(accountId, region, MANAGED_SECRETS_KEY_ALIAS);
    if (existing) {
      return this.remember({
        arn: existing.arn,
        keyId: existing.keyId,
        material: this.unwrapWithRoot(existing.wrappedMaterial, existing.arn),
      });
    }
    const keyId = randomUUID();
    const arn = `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
    const material = randomBytes(32);
    try {
      await this.store.transaction((tx) =>
        tx.insertKmsKey({
          accountId,
          region,
          keyId,
          arn,
          alias: MANAGED_SECRETS_KEY_ALIAS,
          wrappedMaterial: this.wrapWithRoot(material, arn),
          createdAt: Date.now(),
          meta: { keyManager: "AWS", description: "Default key that protects my Secrets Manager data when no other key is defined" },
        }),
      );
    } catch (err) {
      // Another process made it first: use theirs.
      if (err instanceof UniqueViolationError) return this.loadOrCreateManagedKey(accountId, region);
      throw err;
    }
    return this.remember({ arn, keyId, material });
  }
}
