// ListGroupsForUser: the groups a user belongs to, by name.
import type { ListGroupsForUserRequest, ListGroupsForUserResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { groupShape, requireEntity } from "./entities.js";
import { pageOfList } from "./paging.js";

export const ListGroupsForUser: Operation<ListGroupsForUserRequest, ListGroupsForUserResponse> = async (input, ctx, deps) => {
  const user = await requireEntity(deps.store, ctx.caller.accountId, "user", input.UserName as string);
  const groups = await deps.store.identity.listGroupsOfUser(user.id);
  const page = pageOfList(groups, input, (g) => g.name.toLowerCase());
  return { Groups: page.items.map(groupShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
