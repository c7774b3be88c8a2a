// The size bound of role trust policies (IAM quota "ACLSizePerRole", 2048 characters by default).
import { LimitExceeded } from "./errors.js";
import { policySize } from "./policy-text.js";

export const TRUST_POLICY_LIMIT = 2048;

export function checkTrustPolicySize(text: string): void {
  if (policySize(text) > TRUST_POLICY_LIMIT) throw new LimitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_LIMIT}`);
}
