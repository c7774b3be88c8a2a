// PutKeyPolicy (security spec §5.4): replaces the key policy after the lockout safety check. The
// AWS-managed key's policy grants no kms:PutKeyPolicy, so it cannot be changed.
import type { PutKeyPolicyRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { NotFoundException, kmsMessages } from "./errors.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { DEFAULT_POLICY_NAME, authorizeKms } from "./key-policy.js";
import { updateKeyRecord } from "./key-writes.js";
import { checkPolicyText } from "./policy-text.js";

export const PutKeyPolicy: Operation<PutKeyPolicyRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:PutKeyPolicy", entry });
  if ((input.PolicyName ?? DEFAULT_POLICY_NAME) !== DEFAULT_POLICY_NAME) throw new NotFoundException(kmsMessages.policyName);
  const policy = input.Policy as string;
  await checkPolicyText(deps, ctx, entry.record, policy, input.BypassPolicyLockoutSafetyCheck === true);
  return updateKeyRecord(deps, entry.record, (current) => {
    const meta: KeyMeta = { ...metaOfKey(current), policy };
    return { next: { ...current, meta: meta as unknown as Record<string, unknown> }, result: undefined };
  });
};
