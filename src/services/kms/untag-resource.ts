// UntagResource (security spec §5.4): removes tags by key; keys that are not there are ignored.
import type { UntagResourceRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";

export const UntagResource: Operation<UntagResourceRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:UntagResource", entry });
  const removed = new Set(input.TagKeys ?? []);
  return updateKeyRecord(deps, entry.record, (current) => {
    assertNotPendingDeletion(current);
    const previous = metaOfKey(current);
    const meta: KeyMeta = { ...previous, tags: (previous.tags ?? []).filter((t) => !removed.has(t.TagKey)) };
    return { next: { ...current, meta: meta as unknown as Record<string, unknown> }, result: undefined };
  });
};
