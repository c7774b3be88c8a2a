// ListKeyPolicies (security spec §5.4): every key has exactly one policy, "default".
import type { ListKeyPoliciesRequest, ListKeyPoliciesResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { DEFAULT_POLICY_NAME, authorizeKms } from "./key-policy.js";

export const ListKeyPolicies: Operation<ListKeyPoliciesRequest, ListKeyPoliciesResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:ListKeyPolicies", entry });
  return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
};
