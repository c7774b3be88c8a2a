// The per-key settings kept in KeyRecord.meta (opaque JSON to the store), and the KeyMetadata
// view every key-describing response returns (security spec §5.3).
import type { KeyMetadata } from "@aws-sdk/client-kms";
import type { KmsKeyEntry } from "../../crypto/keyring.js";
import type { KeyRecord } from "../../store/keys-ops.js";

export interface KmsTag {
  TagKey: string;
  TagValue: string;
}

export interface KeyRotationSettings {
  enabled: boolean;
  /** 90–2560; kept when rotation is disabled so re-enabling shows it (unverified whether AWS does). */
  periodDays: number;
  /** Time of the last on-demand rotation (GetKeyRotationStatus OnDemandRotationStartDate). */
  onDemandStartedAt?: number;
}

export interface KeyMeta {
  keyManager: "AWS" | "CUSTOMER";
  description?: string;
  /** The key policy text as the user put it; absent means the default policy for the key manager. */
  policy?: string;
  tags?: KmsTag[];
  rotation?: KeyRotationSettings;
  /** While pending deletion: the waiting period asked for (PendingDeletionWindowInDays is for multi-Region keys only). */
  pendingWindowDays?: number;
  /** How many on-demand rotations the key has had (AWS allows 25). */
  onDemandRotations?: number;
}

export function metaOfKey(record: KeyRecord): KeyMeta {
  return record.meta as unknown as KeyMeta;
}

export const isAwsManaged = (record: KeyRecord): boolean => metaOfKey(record).keyManager === "AWS";

export function keyMetadata(entry: KmsKeyEntry): KeyMetadata {
  const { record } = entry;
  const meta = metaOfKey(record);
  const pending = record.state === "PendingDeletion";
  return {
    AWSAccountId: record.accountId,
    KeyId: record.keyId,
    Arn: record.arn,
    CreationDate: new Date(record.createdAt),
    Enabled: record.state === "Enabled",
    Description: meta.description ?? "",
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: record.state,
    DeletionDate: pending && record.deletionAt !== null ? new Date(record.deletionAt) : undefined,
    Origin: "AWS_KMS",
    KeyManager: meta.keyManager,
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
    CurrentKeyMaterialId: entry.currentMaterialId,
  };
}
