// CancelKeyDeletion (security spec §5.4): a key pending deletion comes back Disabled, not Enabled.
import type { CancelKeyDeletionRequest, CancelKeyDeletionResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { KMSInvalidStateException, kmsMessages } from "./errors.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { updateKeyRecord } from "./key-writes.js";

export const CancelKeyDeletion: Operation<CancelKeyDeletionRequest, CancelKeyDeletionResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:CancelKeyDeletion", entry });
  return updateKeyRecord(deps, entry.record, (current) => {
    if (current.state !== "PendingDeletion") throw new KMSInvalidStateException(kmsMessages.notPendingDeletion(current.arn));
    const meta: KeyMeta = { ...metaOfKey(current) };
    delete meta.pendingWindowDays;
    return {
      next: { ...current, state: "Disabled", deletionAt: null, meta: meta as unknown as Record<string, unknown> },
      result: { KeyId: current.arn },
    };
  });
};
