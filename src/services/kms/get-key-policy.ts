// GetKeyPolicy (security spec §5.4): the key's one policy, named "default".
import type { GetKeyPolicyRequest, GetKeyPolicyResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { NotFoundException, kmsMessages } from "./errors.js";
import { resolveKey } from "./key-ids.js";
import { DEFAULT_POLICY_NAME, authorizeKms, keyPolicyText } from "./key-policy.js";

export const GetKeyPolicy: Operation<GetKeyPolicyRequest, GetKeyPolicyResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:GetKeyPolicy", entry });
  if ((input.PolicyName ?? DEFAULT_POLICY_NAME) !== DEFAULT_POLICY_NAME) throw new NotFoundException(kmsMessages.policyName);
  return { Policy: keyPolicyText(entry.record, deps.partition), PolicyName: DEFAULT_POLICY_NAME };
};
