// DisableKey (security spec §5.5): Enabled → Disabled; refused while pending deletion. A disabled
// key encrypts and decrypts nothing, Secrets Manager's data keys included.
import type { DisableKeyRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";

export const DisableKey: Operation<DisableKeyRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:DisableKey", entry });
  return updateKeyRecord(deps, entry.record, (current) => {
    assertNotPendingDeletion(current);
    return { next: { ...current, state: "Disabled" }, result: undefined };
  });
};
