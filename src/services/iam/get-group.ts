// GetGroup: the group and its members, paginated over the members.
import type { GetGroupRequest, GetGroupResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { groupShape, requireEntity, userShape } from "./entities.js";
import { pageOfList } from "./paging.js";

export const GetGroup: Operation<GetGroupRequest, GetGroupResponse> = async (input, ctx, deps) => {
  const group = await requireEntity(deps.store, ctx.caller.accountId, "group", input.GroupName as string);
  const members = await deps.store.identity.listGroupMembers(group.id);
  const page = pageOfList(members, input, (u) => u.name.toLowerCase());
  return { Group: groupShape(group), Users: page.items.map((u) => userShape(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};
