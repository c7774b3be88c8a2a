// Adding key material to a key (rotation): the new material encrypts from now on; every older
// material stays with the key so ciphertexts made under it still decrypt (security spec §5.9).
import { newMaterialId } from "../../crypto/keyring.js";
import type { KeyRecord } from "../../store/keys-ops.js";
import type { StoreOps } from "../../store/store.js";
import type { ServiceDeps } from "../context.js";

export async function addKeyMaterial(
  deps: ServiceDeps,
  tx: StoreOps,
  record: KeyRecord,
  rotationType: "AUTOMATIC" | "ON_DEMAND",
  now: number,
): Promise<string> {
  const materialId = newMaterialId();
  await tx.keys.insertMaterial({
    keyArn: record.arn,
    materialId,
    wrappedMaterial: deps.keyring.newWrappedMaterial(record.arn, materialId),
    createdAt: now,
    rotationType,
  });
  return materialId;
}
