// DisableKeyRotation (security spec §5.4): no more automatic rotations; older material stays.
import type { DisableKeyRotationRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertRotatable } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";

export const DisableKeyRotation: Operation<DisableKeyRotationRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:DisableKeyRotation", entry });
  return updateKeyRecord(deps, entry.record, (current) => {
    assertRotatable(current);
    const previous = metaOfKey(current);
    const meta: KeyMeta = { ...previous, rotation: { periodDays: 365, ...previous.rotation, enabled: false } };
    return { next: { ...current, rotationDueAt: null, meta: meta as unknown as Record<string, unknown> }, result: undefined };
  });
};
