// The key hierarchy of one process: root key(s) → KMS key material → per-version data keys.
// The keyring unwraps KMS key material once and keeps it in memory; a key's row (state, policy,
// tags) is re-read at most every KEY_TTL_MS so that a key disabled by another process stops
// working within that time (a change made by this process applies at once).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { KeyRecord } from "../store/keys-ops.js";
import type { Store } from "../store/store.js";
import { UniqueViolationError } from "../store/store.js";
import { DataKeyCache } from "./data-key-cache.js";
import type { KeyCustody } from "./custody.js";
import { RootRing, UnknownRootKeyError } from "./root-ring.js";

export const MANAGED_SECRETS_KEY_ALIAS = "alias/aws/secretsmanager";
/** How long a key's row is trusted before it is read again. */
export const KEY_TTL_MS = 1_000;
/** AWS-managed keys rotate every year (KMS developer guide). */
export const MANAGED_KEY_ROTATION_DAYS = 365;
const DAY_MS = 86_400_000;

/** A KMS key with its unwrapped material, as cached in memory. */
export interface KmsKeyEntry {
  readonly record: KeyRecord;
  /** Material id → material, oldest first; the last one encrypts. */
  readonly materials: ReadonlyMap<string, Buffer>;
  readonly currentMaterialId: string;
}

interface CachedEntry {
  entry: KmsKeyEntry;
  until: number;
}

/** The id KMS shows for a key's first material: derived, so it needs no column of its own. */
export function firstMaterialId(keyArn: string): string {
  return createHash("sha256").update("coffer:kms-material:").update(keyArn).digest("hex");
}

export function newMaterialId(): string {
  return randomBytes(32).toString("hex");
}

/** What binds a wrapped material to its key (the first material keeps the original binding, the key ARN). */
export function materialAad(keyArn: string, materialId: string): string {
  return materialId === firstMaterialId(keyArn) ? keyArn : `coffer:kms-material:${keyArn}:${materialId}`;
}

const entryKey = (accountId: string, region: string, keyId: string) => `${accountId}\u0000${region}\u0000${keyId}`;

/** arn:<partition>:kms:<region>:<account>:key/<key id> → its parts. */
export function parseKeyArn(arn: string): { partition: string; region: string; accountId: string; keyId: string } | undefined {
  const m = /^arn:([^:]+):kms:([^:]+):(\d{12}):key\/(.+)$/.exec(arn);
  return m ? { partition: m[1] as string, region: m[2] as string, accountId: m[3] as string, keyId: m[4] as string } : undefined;
}

/** Hooks the custody layer (sealing, root-key rotation) gives the keyring. */
export interface RootKeyRefresher {
  /** Learns root keys that other processes introduced (a rotation they started). */
  refresh(): Promise<void>;
}

export class Keyring {
  /** Unwrapped data keys of recently read versions (memory only, bounded, short-lived). */
  readonly dataKeys = new DataKeyCache();
  readonly ring = new RootRing();
  private readonly entries = new Map<string, CachedEntry>();
  private readonly loading = new Map<string, Promise<KmsKeyEntry | undefined>>();
  /** Unwrapped materials by "<key ARN> <material id>": immutable, so kept across row reloads. */
  private readonly materials = new Map<string, Buffer>();
  private readonly managedIds = new Map<string, Promise<string>>();
  private refresher: RootKeyRefresher | undefined;
  /** Where the root key comes from and goes (set when the custody layer opens the hierarchy). */
  custody: KeyCustody | undefined;

  constructor(private readonly store: Store) {}

  get sealed(): boolean {
    return this.ring.sealed;
  }

  setRefresher(refresher: RootKeyRefresher): void {
    this.refresher = refresher;
  }

  /** Wraps bytes under the current root key. Layout: format(1) | root key id (16 ascii) | aead. */
  wrapWithRoot(plaintext: Buffer, aad: string): Buffer {
    return this.ring.wrap(plaintext, aad);
  }

  /** Opens a root-wrapped blob with whichever root key the blob names. */
  unwrapWithRoot(blob: Buffer, aad: string): Buffer {
    return this.ring.unwrap(blob, aad);
  }

  /** As unwrapWithRoot, but first learns a root key another process has just introduced. */
  async unwrapWithRootFresh(blob: Buffer, aad: string): Promise<Buffer> {
    try {
      return this.ring.unwrap(blob, aad);
    } catch (err) {
      if (!(err instanceof UnknownRootKeyError) || !this.refresher) throw err;
      await this.refresher.refresh();
      return this.ring.unwrap(blob, aad);
    }
  }

  /** Forgets every key in memory (sealing): root keys, KMS material, data keys. */
  wipe(): void {
    this.ring.wipe();
    for (const material of this.materials.values()) material.fill(0);
    this.materials.clear();
    this.entries.clear();
    this.dataKeys.clear();
  }

  /** Drops a key's cached row after this process changed it, so the change applies at once. */
  invalidateKey(arn: string): void {
    const parsed = parseKeyArn(arn);
    if (parsed) this.entries.delete(entryKey(parsed.accountId, parsed.region, parsed.keyId));
  }

  /** After a key's deletion: drops its row and zeroes its material. */
  forgetKey(arn: string): void {
    this.invalidateKey(arn);
    for (const [cacheKey, material] of this.materials) {
      if (cacheKey.startsWith(`${arn} `)) {
        material.fill(0);
        this.materials.delete(cacheKey);
      }
    }
  }

  /** A KMS key with its material, or undefined when no such key exists. */
  async keyEntry(accountId: string, region: string, keyId: string, now = Date.now()): Promise<KmsKeyEntry | undefined> {
    const key = entryKey(accountId, region, keyId);
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.entry;
    return this.load(key, () => this.store.keys.getKey(accountId, region, keyId), now);
  }

  /** Reloads an entry whose material list may have grown (a blob named a material it lacks). */
  async reloadKey(record: KeyRecord): Promise<KmsKeyEntry | undefined> {
    this.entries.delete(entryKey(record.accountId, record.region, record.keyId));
    return this.keyEntry(record.accountId, record.region, record.keyId);
  }

  private load(key: string, read: () => Promise<KeyRecord | undefined>, now: number): Promise<KmsKeyEntry | undefined> {
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.loadEntry(read, now).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async loadEntry(read: () => Promise<KeyRecord | undefined>, now: number): Promise<KmsKeyEntry | undefined> {
    const record = await read();
    if (!record) return undefined;
    const rows = await this.store.keys.listMaterials(record.arn);
    const materials = new Map<string, Buffer>();
    const first = firstMaterialId(record.arn);
    materials.set(first, await this.material(record.arn, first, record.wrappedMaterial));
    for (const row of rows) materials.set(row.materialId, await this.material(record.arn, row.materialId, row.wrappedMaterial));
    const currentMaterialId = rows.at(-1)?.materialId ?? first;
    const entry: KmsKeyEntry = { record, materials, currentMaterialId };
    this.entries.set(entryKey(record.accountId, record.region, record.keyId), { entry, until: now + KEY_TTL_MS });
    return entry;
  }

  private async material(arn: string, materialId: string, wrapped: Buffer): Promise<Buffer> {
    const cacheKey = `${arn} ${materialId}`;
    let material = this.materials.get(cacheKey);
    if (!material) {
      material = await this.unwrapWithRootFresh(wrapped, materialAad(arn, materialId));
      this.materials.set(cacheKey, material);
    }
    return material;
  }

  /** Fresh key material wrapped for storage under `keyArn` (never returned in plaintext). */
  newWrappedMaterial(keyArn: string, materialId: string): Buffer {
    const material = randomBytes(32);
    try {
      return this.wrapWithRoot(material, materialAad(keyArn, materialId));
    } finally {
      material.fill(0);
    }
  }

  /** The id of the account's AWS-managed Secrets Manager key in a region, made on first use. */
  managedSecretsKeyId(accountId: string, region: string, partition = "aws"): Promise<string> {
    const cacheKey = `${accountId}/${region}`;
    let pending = this.managedIds.get(cacheKey);
    if (!pending) {
      pending = this.loadOrCreateManagedKey(accountId, region, partition);
      this.managedIds.set(cacheKey, pending);
      pending.catch(() => this.managedIds.delete(cacheKey));
    }
    return pending;
  }

  /** The AWS-managed Secrets Manager key with its material. */
  async managedSecretsKey(accountId: string, region: string): Promise<KmsKeyEntry> {
    const keyId = await this.managedSecretsKeyId(accountId, region);
    const entry = await this.keyEntry(accountId, region, keyId);
    if (!entry) throw new Error("the AWS-managed Secrets Manager key is missing from the store");
    return entry;
  }

  private async loadOrCreateManagedKey(accountId: string, region: string, partition: string): Promise<string> {
    const existing = await this.store.getKmsKeyByAlias(accountId, region, MANAGED_SECRETS_KEY_ALIAS);
    if (existing) return existing.keyId;
    const keyId = randomUUID();
    const arn = `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
    const now = Date.now();
    try {
      await this.store.transaction(async (tx) => {
        await tx.keys.insertKey({
          accountId,
          region,
          keyId,
          arn,
          alias: MANAGED_SECRETS_KEY_ALIAS,
          wrappedMaterial: this.newWrappedMaterial(arn, firstMaterialId(arn)),
          createdAt: now,
          state: "Enabled",
          deletionAt: null,
          rotationDueAt: now + MANAGED_KEY_ROTATION_DAYS * DAY_MS,
          meta: {
            keyManager: "AWS",
            description: "Default key that protects my Secrets Manager data when no other key is defined",
            rotation: { enabled: true, periodDays: MANAGED_KEY_ROTATION_DAYS },
          },
        });
        await tx.keys.insertAlias({ accountId, region, aliasName: MANAGED_SECRETS_KEY_ALIAS, targetKeyId: keyId, createdAt: now, updatedAt: now });
      });
    } catch (err) {
      // Another process made it first: use theirs.
      if (err instanceof UniqueViolationError) return this.loadOrCreateManagedKey(accountId, region, partition);
      throw err;
    }
    return keyId;
  }
}
