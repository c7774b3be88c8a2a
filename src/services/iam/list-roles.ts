// ListRoles: by name, optionally under a path prefix (without tags and boundaries, as AWS lists them).
import type { ListRolesRequest, ListRolesResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { roleShape } from "./entities.js";
import { markerKey, maxItemsOf, pageFrom } from "./paging.js";

export const ListRoles: Operation<ListRolesRequest, ListRolesResponse> = async (input, ctx, deps) => {
  const max = maxItemsOf(input);
  const rows = await deps.store.identity.listEntities(ctx.caller.accountId, "role", {
    pathPrefix: input.PathPrefix,
    afterName: markerKey(input.Marker),
    limit: max + 1,
  });
  const page = pageFrom(rows, max, (r) => r.name);
  return { Roles: page.items.map((r) => roleShape(r, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
