// SimulateCustomPolicy: policies given in the request (not attached to anyone) against actions and
// resources, as a principal of the caller's account; CallerArn names the caller a resource policy
// is matched against.
import type { SimulateCustomPolicyRequest, SimulatePolicyResponse } from "@aws-sdk/client-iam";
import type { Principal } from "../../domain/policy/request.js";
import type { Operation } from "../context.js";
import { simulate } from "./simulate.js";
import { inputPolicies, inputResourcePolicy, principalFromArn } from "./simulation-inputs.js";

export const SimulateCustomPolicy: Operation<SimulateCustomPolicyRequest, SimulatePolicyResponse> = async (input, ctx, deps) => {
  // Without CallerArn the policies are evaluated for an unnamed user of the caller's account.
  const anonymousUser: Principal = {
    kind: "user",
    arn: `arn:${deps.partition}:iam::${ctx.caller.accountId}:user/SimulatedUser`,
    accountId: ctx.caller.accountId,
    username: "SimulatedUser",
  };
  const principal = input.CallerArn !== undefined ? principalFromArn(input.CallerArn, anonymousUser) : anonymousUser;
  return simulate(
    {
      principal,
      identity: inputPolicies(input.PolicyInputList, "PolicyInputList", "IAM Policy"),
      boundary: inputPolicies(input.PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList", "Permissions Boundary Policy")[0],
      resourcePolicy: inputResourcePolicy(input.ResourcePolicy),
      actions: input.ActionNames ?? [],
      resources: input.ResourceArns && input.ResourceArns.length > 0 ? input.ResourceArns : ["*"],
      resourceOwner: input.ResourceOwner,
      contextEntries: input.ContextEntries ?? [],
    },
    input,
  );
};
