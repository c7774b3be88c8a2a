// DeleteGroup: refused while it has members, inline policies or attached policies (DeleteConflict).
import type { DeleteGroupRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { DeleteConflict, iamMessages } from "./errors.js";
import { iamWrite } from "./writes.js";

export const DeleteGroup: Operation<DeleteGroupRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const group = await requireEntity(tx, ctx.caller.accountId, "group", input.GroupName as string);
    if ((await tx.identity.listGroupMembers(group.id)).length > 0) throw new DeleteConflict(iamMessages.removeUsersFirst);
    if ((await tx.identity.listInlinePolicies(group.id)).length > 0) throw new DeleteConflict(iamMessages.deletePoliciesFirst);
    if ((await tx.identity.listAttachedPolicies(group.id)).length > 0) throw new DeleteConflict(iamMessages.detachPoliciesFirst);
    await tx.identity.deleteEntity(group.id);
    return {};
  });
