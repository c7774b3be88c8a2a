// ListResourceTags (security spec §5.4): the key's tags in the order they were added.
import type { ListResourceTagsRequest, ListResourceTagsResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { pageByIndex } from "./paging.js";

export const ListResourceTags: Operation<ListResourceTagsRequest, ListResourceTagsResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:ListResourceTags", entry });
  const { page, next } = pageByIndex(metaOfKey(entry.record).tags ?? [], input.Marker, input.Limit ?? 50);
  return { Tags: page, Truncated: next !== undefined, NextMarker: next };
};
