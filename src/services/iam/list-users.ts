// ListUsers: by name, optionally under a path prefix; ListUsers leaves tags and boundaries out.
import type { ListUsersRequest, ListUsersResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { userShape } from "./entities.js";
import { markerKey, maxItemsOf, pageFrom } from "./paging.js";

export const ListUsers: Operation<ListUsersRequest, ListUsersResponse> = async (input, ctx, deps) => {
  const max = maxItemsOf(input);
  const rows = await deps.store.identity.listEntities(ctx.caller.accountId, "user", {
    pathPrefix: input.PathPrefix,
    afterName: markerKey(input.Marker),
    limit: max + 1,
  });
  const page = pageFrom(rows, max, (r) => r.name);
  return { Users: page.items.map((r) => userShape(r, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
