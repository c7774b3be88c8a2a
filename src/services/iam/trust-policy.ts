// A role's trust policy as CreateRole and UpdateAssumeRolePolicy take it: the grammar (policy-text.ts),
// the size bound (IAM quota "ACLSizePerRole", 2048 characters by default), and principals that exist.
import type { Store } from "../../store/store.js";
import { firstMissingPrincipal } from "../policy-principals.js";
import { LimitExceeded, MalformedPolicyDocument, iamMessages } from "./errors.js";
import { checkTrustPolicy, policySize } from "./policy-text.js";

export const TRUST_POLICY_LIMIT = 2048;

export function checkTrustPolicySize(text: string): void {
  if (policySize(text) > TRUST_POLICY_LIMIT) throw new LimitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_LIMIT}`);
}

/** Everything a new trust policy must pass before it is stored. */
export async function checkRoleTrust(store: Store, text: string): Promise<void> {
  const document = checkTrustPolicy(text);
  checkTrustPolicySize(text);
  const missing = await firstMissingPrincipal(store, document);
  if (missing !== undefined) throw new MalformedPolicyDocument(iamMessages.invalidPrincipal("AWS", missing));
}
