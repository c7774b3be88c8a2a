// GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy: the condition keys that
// policies read (domain/policy/context-keys.ts), so a caller of SimulateCustomPolicy or
// SimulatePrincipalPolicy knows which ContextEntries to give. For a principal: its own identity
// policies (inline and managed, a user's groups' too) and any given in PolicyInputList.
import type {
  GetContextKeysForCustomPolicyRequest,
  GetContextKeysForPolicyResponse,
  GetContextKeysForPrincipalPolicyRequest,
} from "@aws-sdk/client-iam";
import { contextKeysOf } from "../../domain/policy/context-keys.js";
import type { Operation } from "../context.js";
import { entityPolicies, policyDocuments } from "./principal-policies.js";
import { inputPolicies, requirePolicySource } from "./simulation-inputs.js";

export const GetContextKeysForCustomPolicy: Operation<GetContextKeysForCustomPolicyRequest, GetContextKeysForPolicyResponse> = async (input) => {
  const given = inputPolicies(input.PolicyInputList, "PolicyInputList", "IAM Policy");
  return { ContextKeyNames: contextKeysOf(given.map((p) => p.source.document)) };
};

export const GetContextKeysForPrincipalPolicy: Operation<GetContextKeysForPrincipalPolicyRequest, GetContextKeysForPolicyResponse> = async (
  input,
  ctx,
  deps,
) => {
  const entity = await requirePolicySource(deps, ctx, input.PolicySourceArn as string);
  const own = (await entityPolicies(deps.store, policyDocuments, entity)).identity.map((source) => source.document);
  const given = inputPolicies(input.PolicyInputList, "PolicyInputList", "IAM Policy").map((p) => p.source.document);
  return { ContextKeyNames: contextKeysOf([...own, ...given]) };
};
