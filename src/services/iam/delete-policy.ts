// DeletePolicy: refused while attached, used as a permissions boundary, or holding versions
// besides the default one (which goes with the policy).
import type { DeletePolicyRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { DeleteConflict, InvalidInput, iamMessages } from "./errors.js";
import { boundaryUsageCount, requirePolicy } from "./managed-policies.js";
import { iamWrite } from "./writes.js";

export const DeletePolicy: Operation<DeletePolicyRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const arn = input.PolicyArn as string;
    const found = await requirePolicy(tx, ctx, arn);
    if (found.aws) throw new InvalidInput(iamMessages.awsPolicyReadOnly(arn));
    if ((await tx.identity.listPolicyAttachments(arn)).length > 0) throw new DeleteConflict(iamMessages.policyAttached);
    if ((await boundaryUsageCount(tx, ctx.caller.accountId, arn)) > 0) throw new DeleteConflict(iamMessages.policyAttached);
    if ((await tx.identity.listPolicyVersions(arn)).length > 1) throw new DeleteConflict(iamMessages.policyHasVersions);
    await tx.identity.deleteManagedPolicy(arn);
    return {};
  });
