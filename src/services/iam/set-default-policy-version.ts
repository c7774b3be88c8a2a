// SetDefaultPolicyVersion: the version that governs every principal the policy is attached to.
import type { SetDefaultPolicyVersionRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { InvalidInput, NoSuchEntity, iamMessages } from "./errors.js";
import { requirePolicy } from "./managed-policies.js";
import { iamWrite } from "./writes.js";

export const SetDefaultPolicyVersion: Operation<SetDefaultPolicyVersionRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const arn = input.PolicyArn as string;
    const versionId = input.VersionId as string;
    const found = await requirePolicy(tx, ctx, arn);
    if (found.aws) throw new InvalidInput(iamMessages.awsPolicyReadOnly(arn));
    if (!(await tx.identity.getPolicyVersion(arn, versionId))) throw new NoSuchEntity(iamMessages.policyVersionNotFound(arn, versionId));
    await tx.identity.updateManagedPolicy({ ...found.row, defaultVersionId: versionId, updatedAt: ctx.now });
    return {};
  });
