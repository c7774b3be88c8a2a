// GetPolicyVersion: one version with its document (URL-encoded, as IAM returns documents).
import type { GetPolicyVersionRequest, GetPolicyVersionResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { NoSuchEntity, iamMessages } from "./errors.js";
import { policyVersion, requirePolicy } from "./managed-policies.js";
import { encodePolicyText } from "./policy-text.js";

export const GetPolicyVersion: Operation<GetPolicyVersionRequest, GetPolicyVersionResponse> = async (input, ctx, deps) => {
  const arn = input.PolicyArn as string;
  const versionId = input.VersionId as string;
  const found = await requirePolicy(deps.store, ctx, arn);
  const version = await policyVersion(deps.store, found, versionId);
  if (!version) throw new NoSuchEntity(iamMessages.policyVersionNotFound(arn, versionId));
  return {
    PolicyVersion: {
      Document: encodePolicyText(version.document),
      VersionId: version.versionId,
      IsDefaultVersion: version.versionId === found.row.defaultVersionId,
      CreateDate: new Date(version.createdAt),
    },
  };
};
