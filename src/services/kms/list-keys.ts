// ListKeys (security spec §5.4): every key of the account and region, AWS-managed ones and keys
// pending deletion included, by key id.
import type { ListKeysRequest, ListKeysResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { authorizeKms } from "./key-policy.js";
import { decodeMarker, encodeMarker } from "./paging.js";

export const ListKeys: Operation<ListKeysRequest, ListKeysResponse> = async (input, ctx, deps) => {
  authorizeKms(deps, ctx, { action: "kms:ListKeys" });
  const limit = input.Limit ?? 100;
  const after = decodeMarker(input.Marker);
  const rows = await deps.store.keys.listKeys(ctx.caller.accountId, ctx.region, after, limit + 1);
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  return {
    Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
    Truncated: truncated,
    NextMarker: truncated ? encodeMarker(page.at(-1)?.keyId as string) : undefined,
  };
};
