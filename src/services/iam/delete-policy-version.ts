// DeletePolicyVersion: any version but the default one.
import type { DeletePolicyVersionRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { DeleteConflict, InvalidInput, NoSuchEntity, iamMessages } from "./errors.js";
import { requirePolicy } from "./managed-policies.js";
import { iamWrite } from "./writes.js";

export const DeletePolicyVersion: Operation<DeletePolicyVersionRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const arn = input.PolicyArn as string;
    const versionId = input.VersionId as string;
    const found = await requirePolicy(tx, ctx, arn);
    if (found.aws) throw new InvalidInput(iamMessages.awsPolicyReadOnly(arn));
    if (!(await tx.identity.getPolicyVersion(arn, versionId))) throw new NoSuchEntity(iamMessages.policyVersionNotFound(arn, versionId));
    if (versionId === found.row.defaultVersionId) throw new DeleteConflict(iamMessages.defaultVersion);
    await tx.identity.deletePolicyVersion(arn, versionId);
    return {};
  });
