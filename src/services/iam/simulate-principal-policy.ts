// SimulatePrincipalPolicy: what a user, group or role may do, decided by the evaluator that
// authorizes real requests, with the statements that decided each answer (`aws iam
// simulate-principal-policy`). Extra policies in PolicyInputList are evaluated with the
// principal's own; a PermissionsBoundaryPolicyInputList replaces its boundary.
import type { SimulatePolicyResponse, SimulatePrincipalPolicyRequest } from "@aws-sdk/client-iam";
import type { PolicySource, Principal } from "../../domain/policy/request.js";
import type { Operation } from "../context.js";
import { attrsOf } from "./entities.js";
import { entityPolicies, policyDocuments, sourceInfo } from "./principal-policies.js";
import { simulate, type SimulatedPolicy } from "./simulate.js";
import { inputPolicies, inputResourcePolicy, principalFromArn, requirePolicySource } from "./simulation-inputs.js";
import { tagMap } from "./tags.js";

export const SimulatePrincipalPolicy: Operation<SimulatePrincipalPolicyRequest, SimulatePolicyResponse> = async (input, ctx, deps) => {
  const entity = await requirePolicySource(deps, ctx, input.PolicySourceArn as string);
  const own = await entityPolicies(deps.store, policyDocuments, entity);
  const named = (source: PolicySource): SimulatedPolicy => {
    const info = sourceInfo(source.id);
    return { source, text: policyDocuments.textOf(source.document), sourcePolicyId: info.id, sourcePolicyType: info.type };
  };
  const identity = [...own.identity.map(named), ...inputPolicies(input.PolicyInputList, "PolicyInputList", "IAM Policy")];
  const boundaryInputs = inputPolicies(input.PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList", "Permissions Boundary Policy");
  const boundary = boundaryInputs[0] ?? (own.boundary ? named(own.boundary) : undefined);

  const tags = tagMap(attrsOf(entity).tags);
  const base: Principal =
    entity.kind === "role"
      ? { kind: "assumed-role", arn: entity.arn, accountId: entity.accountId, roleArn: entity.arn, userId: entity.id, tags }
      : { kind: "user", arn: entity.arn, accountId: entity.accountId, userId: entity.id, username: entity.name, tags };
  const principal = input.CallerArn !== undefined ? principalFromArn(input.CallerArn, base) : base;
  return simulate(
    {
      principal,
      identity,
      boundary,
      resourcePolicy: inputResourcePolicy(input.ResourcePolicy),
      actions: input.ActionNames ?? [],
      resources: input.ResourceArns && input.ResourceArns.length > 0 ? input.ResourceArns : ["*"],
      resourceOwner: input.ResourceOwner,
      contextEntries: input.ContextEntries ?? [],
    },
    input,
  );
};
