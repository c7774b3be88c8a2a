// ListGroups: by name, optionally under a path prefix.
import type { ListGroupsRequest, ListGroupsResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { groupShape } from "./entities.js";
import { markerKey, maxItemsOf, pageFrom } from "./paging.js";

export const ListGroups: Operation<ListGroupsRequest, ListGroupsResponse> = async (input, ctx, deps) => {
  const max = maxItemsOf(input);
  const rows = await deps.store.identity.listEntities(ctx.caller.accountId, "group", {
    pathPrefix: input.PathPrefix,
    afterName: markerKey(input.Marker),
    limit: max + 1,
  });
  const page = pageFrom(rows, max, (r) => r.name);
  return { Groups: page.items.map(groupShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
