// GetPolicy: a managed policy's metadata with its attachment and boundary counts (not its document).
import type { GetPolicyRequest, GetPolicyResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { boundaryUsageCount, policyShape, requirePolicy } from "./managed-policies.js";

export const GetPolicy: Operation<GetPolicyRequest, GetPolicyResponse> = async (input, ctx, deps) => {
  const arn = input.PolicyArn as string;
  const found = await requirePolicy(deps.store, ctx, arn);
  const attachments = (await deps.store.identity.listPolicyAttachments(arn)).filter((e) => e.accountId === ctx.caller.accountId).length;
  const boundaries = await boundaryUsageCount(deps.store, ctx.caller.accountId, arn);
  return { Policy: policyShape(found.row, { attachments, boundaries }) };
};
