// UpdateKeyDescription: replaces the description of a customer-managed key.
import type { UpdateKeyDescriptionRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";

export const UpdateKeyDescription: Operation<UpdateKeyDescriptionRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:UpdateKeyDescription", entry });
  return updateKeyRecord(deps, entry.record, (current) => {
    assertNotPendingDeletion(current);
    const meta: KeyMeta = { ...metaOfKey(current), description: input.Description as string };
    return { next: { ...current, meta: meta as unknown as Record<string, unknown> }, result: undefined };
  });
};
