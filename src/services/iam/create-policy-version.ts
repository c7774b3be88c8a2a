// CreatePolicyVersion: at most five versions per policy; SetAsDefault makes the new one govern
// every principal the policy is attached to at once.
import type { CreatePolicyVersionRequest, CreatePolicyVersionResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { InvalidInput, LimitExceeded, iamMessages } from "./errors.js";
import { requirePolicy } from "./managed-policies.js";
import { MANAGED_POLICY_LIMIT, checkIdentityPolicy, policySize } from "./policy-text.js";
import { iamWrite } from "./writes.js";

export const VERSIONS_PER_POLICY = 5;

export const CreatePolicyVersion: Operation<CreatePolicyVersionRequest, CreatePolicyVersionResponse> = async (input, ctx, deps) => {
  const document = input.PolicyDocument as string;
  checkIdentityPolicy(document, { managed: true });
  if (policySize(document) > MANAGED_POLICY_LIMIT) throw new LimitExceeded(iamMessages.policySizeQuota);
  return iamWrite(deps, async (tx) => {
    const arn = input.PolicyArn as string;
    const found = await requirePolicy(tx, ctx, arn);
    if (found.aws) throw new InvalidInput(iamMessages.awsPolicyReadOnly(arn));
    if ((await tx.identity.listPolicyVersions(arn)).length >= VERSIONS_PER_POLICY) throw new LimitExceeded(iamMessages.versionsQuota);
    const versionId = `v${found.row.nextVersion}`;
    await tx.identity.insertPolicyVersion({ policyArn: arn, versionId, document, createdAt: ctx.now });
    const isDefault = input.SetAsDefault === true;
    await tx.identity.updateManagedPolicy({
      ...found.row,
      nextVersion: found.row.nextVersion + 1,
      defaultVersionId: isDefault ? versionId : found.row.defaultVersionId,
      updatedAt: ctx.now,
    });
    return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: isDefault, CreateDate: new Date(ctx.now) } };
  });
};
