// DeleteUser: refused while the user still has inline policies, attached policies, access keys
// or group memberships (DeleteConflict), as IAM does.
import type { DeleteUserRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { DeleteConflict, iamMessages } from "./errors.js";
import { iamWrite } from "./writes.js";

export const DeleteUser: Operation<DeleteUserRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const user = await requireEntity(tx, ctx.caller.accountId, "user", input.UserName as string);
    if ((await tx.identity.listInlinePolicies(user.id)).length > 0) throw new DeleteConflict(iamMessages.deletePoliciesFirst);
    if ((await tx.identity.listAttachedPolicies(user.id)).length > 0) throw new DeleteConflict(iamMessages.detachPoliciesFirst);
    if ((await tx.identity.listAccessKeysOf(user.arn)).length > 0) throw new DeleteConflict(iamMessages.deleteKeysFirst);
    if ((await tx.identity.listGroupsOfUser(user.id)).length > 0) throw new DeleteConflict(iamMessages.removeFromGroupsFirst);
    await tx.identity.deleteEntity(user.id);
    return {};
  });
