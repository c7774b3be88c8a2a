// PutResourcePolicy (API spec §5.12). The document is checked and stored as given.
import type { PutResourcePolicyRequest, PutResourcePolicyResponse } from "@aws-sdk/client-secrets-manager";
import { PublicPolicyException, messages } from "../../domain/errors.js";
import { parsePolicyDocument } from "../../domain/policy/document.js";
import { isPublicPolicy } from "../../domain/policy/public-access.js";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";

export const PutResourcePolicy: Operation<PutResourcePolicyRequest, PutResourcePolicyResponse> = async (input, ctx, deps) => {
  const text = input.ResourcePolicy as string;
  const doc = parsePolicyDocument(text, "resource");
  if (input.BlockPublicPolicy === true && isPublicPolicy(doc)) {
    throw new PublicPolicyException(messages.publicPolicy);
  }
  return deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "PutResourcePolicy");
    assertNotScheduledForDeletion(secret);
    await tx.updateSecret({
      ...secret,
      meta: { ...secret.meta, resourcePolicy: text },
      lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1),
    });
    return { ARN: secret.arn, Name: secret.name };
  });
};
