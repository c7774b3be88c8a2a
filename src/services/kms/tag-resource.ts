// TagResource (security spec §5.4): adds tags or replaces their values; not while pending deletion.
import type { TagResourceRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";
import { mergeTags } from "./tags.js";

export const TagResource: Operation<TagResourceRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  const added = (input.Tags ?? []).map((t) => ({ TagKey: t.TagKey as string, TagValue: t.TagValue as string }));
  authorizeKms(deps, ctx, { action: "kms:TagResource", entry });
  return updateKeyRecord(deps, entry.record, (current) => {
    assertNotPendingDeletion(current);
    const previous = metaOfKey(current);
    const meta: KeyMeta = { ...previous, tags: mergeTags(previous.tags ?? [], added) };
    return { next: { ...current, meta: meta as unknown as Record<string, unknown> }, result: undefined };
  });
};
