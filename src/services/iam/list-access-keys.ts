// ListAccessKeys: the keys of a user (or of the caller), without their secrets.
import type { ListAccessKeysRequest, ListAccessKeysResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { keyMetadata } from "./access-keys.js";
import { targetUser } from "./entities.js";
import { pageOfList } from "./paging.js";

export const ListAccessKeys: Operation<ListAccessKeysRequest, ListAccessKeysResponse> = async (input, ctx, deps) => {
  const user = await targetUser(deps.store, ctx, input.UserName);
  const keys = await deps.store.identity.listAccessKeysOf(user?.arn ?? ctx.caller.principalArn);
  const page = pageOfList(keys, input, (k) => `${String(k.createdAt).padStart(15, "0")} ${k.accessKeyId}`);
  return { AccessKeyMetadata: page.items.map((k) => keyMetadata(k, user)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
