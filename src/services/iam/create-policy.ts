// CreatePolicy: a customer managed policy with its first version, v1, as the default.
import type { CreatePolicyRequest, CreatePolicyResponse } from "@aws-sdk/client-iam";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import { EntityAlreadyExists, LimitExceeded, iamMessages } from "./errors.js";
import { newUniqueId, policyArn } from "./identifiers.js";
import { policyShape, type PolicyAttrs } from "./managed-policies.js";
import { MANAGED_POLICY_LIMIT, checkIdentityPolicy, policySize } from "./policy-text.js";
import { checkNewTags } from "./tags.js";
import { iamWrite } from "./writes.js";

export const CreatePolicy: Operation<CreatePolicyRequest, CreatePolicyResponse> = async (input, ctx, deps) => {
  const name = input.PolicyName as string;
  const path = input.Path ?? "/";
  const document = input.PolicyDocument as string;
  checkIdentityPolicy(document, { managed: true });
  if (policySize(document) > MANAGED_POLICY_LIMIT) throw new LimitExceeded(iamMessages.policySizeQuota);
  if (input.Tags) checkNewTags(input.Tags);
  return iamWrite(deps, async (tx) => {
    const attrs: PolicyAttrs = {};
    if (input.Description !== undefined) attrs.description = input.Description;
    if (input.Tags && input.Tags.length > 0) attrs.tags = input.Tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
    const row = {
      arn: policyArn(deps.partition, ctx.caller.accountId, path, name),
      accountId: ctx.caller.accountId,
      id: newUniqueId("policy"),
      name,
      path,
      defaultVersionId: "v1",
      nextVersion: 2,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      attrs: attrs as Record<string, unknown>,
    };
    try {
      await tx.identity.insertManagedPolicy(row);
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new EntityAlreadyExists(iamMessages.policyExists(name));
      throw err;
    }
    await tx.identity.insertPolicyVersion({ policyArn: row.arn, versionId: "v1", document, createdAt: ctx.now });
    return { Policy: policyShape(row) };
  });
};
