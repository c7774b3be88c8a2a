// ScheduleKeyDeletion (security spec §5.4): the key becomes PendingDeletion for 7–30 days
// (default 30), then the key worker deletes it for good.
import type { ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse } from "@aws-sdk/client-kms";
import { ValidationException } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { kmsMessages } from "./errors.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";
import { daysFrom, updateKeyRecord } from "./key-writes.js";

export const ScheduleKeyDeletion: Operation<ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse> = async (input, ctx, deps) => {
  const days = input.PendingWindowInDays ?? 30;
  if (days < 7 || days > 30) throw new ValidationException(kmsMessages.pendingWindow(days));
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:ScheduleKeyDeletion", entry });
  const deletionAt = daysFrom(ctx, days);
  return updateKeyRecord(deps, entry.record, (current) => {
    assertNotPendingDeletion(current);
    const meta: KeyMeta = { ...metaOfKey(current), pendingWindowDays: days };
    return {
      next: { ...current, state: "PendingDeletion", deletionAt, meta: meta as unknown as Record<string, unknown> },
      result: { KeyId: current.arn, DeletionDate: new Date(deletionAt), KeyState: "PendingDeletion", PendingWindowInDays: days },
    };
  });
};
