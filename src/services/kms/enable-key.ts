// EnableKey (security spec §5.5): Disabled → Enabled; refused while pending deletion.
import type { EnableKeyRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";

export const EnableKey: Operation<EnableKeyRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:EnableKey", entry });
  return updateKeyRecord(deps, entry.record, (current) => {
    assertNotPendingDeletion(current);
    return { next: { ...current, state: "Enabled" }, result: undefined };
  });
};
