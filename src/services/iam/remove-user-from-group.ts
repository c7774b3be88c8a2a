// RemoveUserFromGroup: a user who is not a member is NoSuchEntity, as on AWS.
import type { RemoveUserFromGroupRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { NoSuchEntity, iamMessages } from "./errors.js";
import { iamWrite } from "./writes.js";

export const RemoveUserFromGroup: Operation<RemoveUserFromGroupRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const group = await requireEntity(tx, ctx.caller.accountId, "group", input.GroupName as string);
    const user = await requireEntity(tx, ctx.caller.accountId, "user", input.UserName as string);
    if (!(await tx.identity.removeGroupMember(group.id, user.id))) {
      throw new NoSuchEntity(iamMessages.noSuchEntity("user", user.name));
    }
    return {};
  });
