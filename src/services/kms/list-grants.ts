// ListGrants: Coffer offers no grants (key policies and IAM policies decide who may use a key), so
// every key's list is empty. The key must still exist and the caller must be allowed to list it,
// so scripts that read a key's grants (cleanup, drift checks) work as on an account without any.
import type { ListGrantsRequest, ListGrantsResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { pageByIndex } from "./paging.js";

export const ListGrants: Operation<ListGrantsRequest, ListGrantsResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:ListGrants", entry });
  pageByIndex([], input.Marker, input.Limit ?? 50); // a marker this server did not give is refused
  return { Grants: [], Truncated: false };
};
