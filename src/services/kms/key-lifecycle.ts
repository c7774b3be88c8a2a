// What the key worker does to keys when their time comes, run through the pipeline as the KMS
// service itself: deleting a key whose waiting period ended (security spec §5.5: afterwards its
// ciphertexts never decrypt again) and rotating key material on schedule.
import { firstMaterialId } from "../../crypto/keyring.js";
import type { Operation } from "../context.js";
import { addKeyMaterial } from "./key-material.js";
import { metaOfKey } from "./key-meta.js";

const DAY_MS = 86_400_000;

export interface KeyWork {
  KeyArn: string;
}

export const PurgeScheduledKey: Operation<KeyWork, { Purged: boolean }> = async (input, ctx, deps) => {
  const result = await deps.store.transaction(async (tx) => {
    const key = await tx.keys.getKeyByArn(input.KeyArn);
    // Cancelled, or already purged by another process.
    if (!key || key.state !== "PendingDeletion" || key.deletionAt === null || key.deletionAt > ctx.now) return { Purged: false };
    await tx.keys.deleteKey(key.arn);
    return { Purged: true };
  });
  if (result.Purged) deps.keyring.forgetKey(input.KeyArn);
  else deps.keyring.invalidateKey(input.KeyArn);
  return result;
};

export interface KeyRotated {
  Rotated: boolean;
  /** The material that was current until this rotation, and the one made by it (when Rotated). */
  PreviousMaterialId?: string;
  CurrentMaterialId?: string;
}

export const RotateDueKey: Operation<KeyWork, KeyRotated> = async (input, ctx, deps) => {
  try {
    return await deps.store.transaction(async (tx) => {
      const key = await tx.keys.getKeyByArn(input.KeyArn);
      if (!key || key.rotationDueAt === null || key.rotationDueAt > ctx.now) return { Rotated: false };
      const rotation = metaOfKey(key).rotation;
      if (!rotation?.enabled || key.state === "PendingDeletion") {
        await tx.keys.updateKey({ ...key, rotationDueAt: null });
        return { Rotated: false };
      }
      if (key.state === "Disabled") {
        // KMS does not rotate a disabled key; look again a day later.
        await tx.keys.updateKey({ ...key, rotationDueAt: ctx.now + DAY_MS });
        return { Rotated: false };
      }
      const previous = (await tx.keys.listMaterials(key.arn)).at(-1)?.materialId ?? firstMaterialId(key.arn);
      const current = await addKeyMaterial(deps, tx, key, "AUTOMATIC", ctx.now);
      await tx.keys.updateKey({ ...key, rotationDueAt: ctx.now + rotation.periodDays * DAY_MS });
      return { Rotated: true, PreviousMaterialId: previous, CurrentMaterialId: current };
    });
  } finally {
    deps.keyring.invalidateKey(input.KeyArn);
  }
};
