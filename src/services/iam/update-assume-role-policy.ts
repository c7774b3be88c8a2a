// UpdateAssumeRolePolicy: replaces the role's trust policy; sessions already issued keep running
// until they expire, as on AWS.
import type { UpdateAssumeRolePolicyRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { attrsOf, requireEntity } from "./entities.js";
import { checkRoleTrust } from "./trust-policy.js";
import { iamWrite } from "./writes.js";

export const UpdateAssumeRolePolicy: Operation<UpdateAssumeRolePolicyRequest, Record<string, never>> = async (input, ctx, deps) => {
  const trust = input.PolicyDocument as string;
  await checkRoleTrust(deps.store, trust);
  return iamWrite(deps, async (tx) => {
    const role = await requireEntity(tx, ctx.caller.accountId, "role", input.RoleName as string);
    await tx.identity.updateEntity({ ...role, attrs: { ...attrsOf(role), assumeRolePolicy: trust } });
    return {};
  });
};
