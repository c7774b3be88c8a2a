// DeleteRole: refused while it has inline or attached policies (DeleteConflict).
import type { DeleteRoleRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { DeleteConflict, iamMessages } from "./errors.js";
import { iamWrite } from "./writes.js";

export const DeleteRole: Operation<DeleteRoleRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const role = await requireEntity(tx, ctx.caller.accountId, "role", input.RoleName as string);
    if ((await tx.identity.listInlinePolicies(role.id)).length > 0) throw new DeleteConflict(iamMessages.deletePoliciesFirst);
    if ((await tx.identity.listAttachedPolicies(role.id)).length > 0) throw new DeleteConflict(iamMessages.detachPoliciesFirst);
    await tx.identity.deleteEntity(role.id);
    return {};
  });
