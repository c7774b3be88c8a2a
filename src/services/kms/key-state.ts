// What each key state allows (security spec §5.5, KMS developer guide "Key states").
import type { KeyRecord } from "../../store/keys-ops.js";
import { DisabledException, KMSInvalidStateException, kmsMessages } from "./errors.js";

/** Encrypt, Decrypt, ReEncrypt, GenerateDataKey*: Enabled only. */
export function assertUsableForCrypto(record: KeyRecord): void {
  if (record.state === "Disabled") throw new DisabledException(kmsMessages.disabled(record.arn));
  if (record.state === "PendingDeletion") throw new KMSInvalidStateException(kmsMessages.pendingDeletion(record.arn));
}

/** EnableKey, DisableKey, ScheduleKeyDeletion, Tag/UntagResource, alias targets: not while pending deletion. */
export function assertNotPendingDeletion(record: KeyRecord): void {
  if (record.state === "PendingDeletion") throw new KMSInvalidStateException(kmsMessages.pendingDeletion(record.arn));
}

/** Enable/DisableKeyRotation, RotateKeyOnDemand: like crypto operations. */
export const assertRotatable = assertUsableForCrypto;
