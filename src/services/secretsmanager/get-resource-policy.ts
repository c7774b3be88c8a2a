// GetResourcePolicy (API spec §5.8): ResourcePolicy is omitted when none is attached.
import type { GetResourcePolicyRequest, GetResourcePolicyResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";
import type { SecretMeta } from "./secret-meta.js";

export const GetResourcePolicy: Operation<GetResourcePolicyRequest, GetResourcePolicyResponse> = async (input, ctx, deps) => {
  const secret = await resolveSecret(deps.store, ctx, input.SecretId as string, "GetResourcePolicy");
  assertNotScheduledForDeletion(secret); // E5 (AWS-OBS)
  return { ARN: secret.arn, Name: secret.name, ResourcePolicy: (secret.meta as SecretMeta).resourcePolicy };
};
