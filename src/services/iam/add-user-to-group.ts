// AddUserToGroup: the group's policies apply to the user from now on. Adding a member twice is
// not an error; a user may be in at most 10 groups.
import type { AddUserToGroupRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { LimitExceeded, iamMessages } from "./errors.js";
import { iamWrite } from "./writes.js";

export const GROUPS_PER_USER = 10;

export const AddUserToGroup: Operation<AddUserToGroupRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const group = await requireEntity(tx, ctx.caller.accountId, "group", input.GroupName as string);
    const user = await requireEntity(tx, ctx.caller.accountId, "user", input.UserName as string);
    const groups = await tx.identity.listGroupsOfUser(user.id);
    if (groups.some((g) => g.id === group.id)) return {};
    if (groups.length >= GROUPS_PER_USER) throw new LimitExceeded(iamMessages.groupsQuota);
    await tx.identity.addGroupMember(group.id, user.id);
    return {};
  });
