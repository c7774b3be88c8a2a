// The storage contract for KMS keys, aliases, key policies, sealing and root-key rotation. Part of
// every StoreOps as `ops.keys`: inside a transaction it writes in that transaction; on the Store
// itself it serves plain reads. Each backend implements it in <backend>/keys-ops.ts and both pass
// the same contract suite (keys.contract.ts).
//
// Like the rest of the store, these tables hold only ciphertext: key material and root-wrapped
// secrets are blobs wrapped by the root key (crypto/keyring.ts), never plaintext.

export type KmsKeyState = "Enabled" | "Disabled" | "PendingDeletion";

/** One KMS key (the core kms_keys table, with the columns this feature adds). */
export interface KeyRecord {
  accountId: string;
  region: string;
  keyId: string;
  arn: string;
  /** Only AWS-managed keys carry their alias here (one managed key per alias, account and region). */
  alias: string | null;
  /** The key's first material, wrapped under the root key. Rotated materials live in kms_key_materials. */
  wrappedMaterial: Buffer;
  createdAt: number;
  state: KmsKeyState;
  /** When a key pending deletion is purged. */
  deletionAt: number | null;
  /** When the next automatic rotation of the key material is due. */
  rotationDueAt: number | null;
  /** Description, key manager, policy, tags, rotation settings (opaque to the store). */
  meta: Record<string, unknown>;
}

/** Key material added by a rotation, wrapped under the root key. */
export interface KeyMaterialRecord {
  keyArn: string;
  /** 64 lowercase hex characters (KMS's KeyMaterialId). */
  materialId: string;
  wrappedMaterial: Buffer;
  createdAt: number;
  rotationType: "AUTOMATIC" | "ON_DEMAND";
}

export interface AliasRecord {
  accountId: string;
  region: string;
  /** Full name, "alias/…". */
  aliasName: string;
  /** Key id (not ARN) of the target. */
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

/** How the root key is held: a file in the data dir, or Shamir shares given to operators. */
export interface KeyHierarchyRecord {
  mode: "file" | "shamir";
  rootKeyId: string;
  /** Shamir mode: how many shares were made and how many unseal. */
  shares: number | null;
  threshold: number | null;
  /** Shamir mode: an HMAC of the root key that tells a reconstructed key from a wrong one. Never the key. */
  verifier: Buffer | null;
  updatedAt: number;
}

export type RootRotationPhase = "rewrapping" | "finishing" | "done";

/**
 * A root-key rotation. While it runs, each root key is stored wrapped under the other, so a
 * process holding either one can read blobs of both; both wrapped forms are dropped when it ends.
 */
export interface RootRotationRecord {
  rotationId: string;
  oldKeyId: string;
  newKeyId: string;
  newWrappedByOld: Buffer | null;
  oldWrappedByNew: Buffer | null;
  /** Shamir mode: the new key's verifier, which replaces the old one when the rotation ends. */
  newVerifier: Buffer | null;
  phase: RootRotationPhase;
  startedAt: number;
  finishedAt: number | null;
  /** Blobs under the old key when the rotation started, and how many have been re-wrapped. */
  total: number;
  rewrapped: number;
}

/** Every kind of blob wrapped under the root key that a rotation re-wraps. */
export type RootWrappedKind = "kms-key" | "kms-material" | "access-key" | "audit-signing-key";
export const ROOT_WRAPPED_KINDS: readonly RootWrappedKind[] = ["kms-key", "kms-material", "access-key", "audit-signing-key"];

export interface RootWrappedBlob {
  kind: RootWrappedKind;
  /** The row: key ARN, "<key ARN> <material id>", access key id or signing key fingerprint. Ordered by this within a kind. */
  id: string;
  blob: Buffer;
}

export interface KeyOps {
  // keys
  /** Inside a transaction on PostgreSQL the row is locked until the transaction ends. */
  getKey(accountId: string, region: string, keyId: string): Promise<KeyRecord | undefined>;
  getKeyByArn(arn: string): Promise<KeyRecord | undefined>;
  insertKey(row: KeyRecord): Promise<void>;
  /** Replaces state, deletionAt, rotationDueAt and meta of the key with this arn. */
  updateKey(row: KeyRecord): Promise<void>;
  /** Removes the key, its rotated materials and the aliases that point at it. */
  deleteKey(arn: string): Promise<void>;
  /** Keys of an account and region ordered by key id, strictly after `afterKeyId`. */
  listKeys(accountId: string, region: string, afterKeyId: string | undefined, limit: number): Promise<KeyRecord[]>;
  /** Keys whose deletion or automatic rotation is due at `now`, any account. */
  listKeysDue(now: number, limit: number): Promise<KeyRecord[]>;

  // rotated key material
  /** Oldest first. */
  listMaterials(keyArn: string): Promise<KeyMaterialRecord[]>;
  insertMaterial(row: KeyMaterialRecord): Promise<void>;

  // aliases
  getAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined>;
  insertAlias(row: AliasRecord): Promise<void>;
  updateAlias(row: AliasRecord): Promise<void>;
  deleteAlias(accountId: string, region: string, aliasName: string): Promise<void>;
  /** Ordered by name, strictly after `afterName`; only those naming `targetKeyId` when given. */
  listAliases(
    accountId: string,
    region: string,
    targetKeyId: string | undefined,
    afterName: string | undefined,
    limit: number,
  ): Promise<AliasRecord[]>;

  // the root key's custody and rotation
  getHierarchy(): Promise<KeyHierarchyRecord | undefined>;
  putHierarchy(row: KeyHierarchyRecord): Promise<void>;
  /** The most recently started rotation. */
  getRootRotation(): Promise<RootRotationRecord | undefined>;
  /** Inserts or replaces by rotationId. */
  putRootRotation(row: RootRotationRecord): Promise<void>;

  // Blobs wrapped under the root key whose bytes start with `prefix` (crypto puts the wrapping
  // root key's id in the first bytes, so this finds what one root key wraps).
  listRootWrapped(kind: RootWrappedKind, prefix: Buffer, afterId: string | undefined, limit: number): Promise<RootWrappedBlob[]>;
  countRootWrapped(kind: RootWrappedKind, prefix: Buffer): Promise<number>;
  /** Compare-and-set: replaces the blob only if the row still holds `expected`. */
  replaceRootWrapped(kind: RootWrappedKind, id: string, expected: Buffer, replacement: Buffer): Promise<boolean>;
}
