// ListKeyRotations (security spec §5.4): the completed rotations of a key, oldest first; with
// IncludeKeyMaterial ALL_KEY_MATERIAL the first material too.
import type { ListKeyRotationsRequest, ListKeyRotationsResponse, RotationsListEntry } from "@aws-sdk/client-kms";
import { firstMaterialId } from "../../crypto/keyring.js";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { pageByIndex } from "./paging.js";

export const ListKeyRotations: Operation<ListKeyRotationsRequest, ListKeyRotationsResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:ListKeyRotations", entry });
  const { record } = entry;
  const rows = await deps.store.keys.listMaterials(record.arn);
  const current = rows.at(-1)?.materialId ?? firstMaterialId(record.arn);
  const state = (materialId: string) => (materialId === current ? "CURRENT" : "NON_CURRENT");
  const all: RotationsListEntry[] = rows.map((row) => ({
    KeyId: record.keyId,
    KeyMaterialId: row.materialId,
    KeyMaterialState: state(row.materialId),
    RotationDate: new Date(row.createdAt),
    RotationType: row.rotationType,
  }));
  if (input.IncludeKeyMaterial === "ALL_KEY_MATERIAL") {
    const first = firstMaterialId(record.arn);
    all.unshift({ KeyId: record.keyId, KeyMaterialId: first, KeyMaterialState: state(first) });
  }
  const { page, next } = pageByIndex(all, input.Marker, input.Limit ?? 100);
  return { Rotations: page, Truncated: next !== undefined, NextMarker: next };
};
