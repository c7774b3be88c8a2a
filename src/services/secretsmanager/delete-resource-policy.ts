// DeleteResourcePolicy (API spec §5.4): succeeds when no policy is attached.
import type { DeleteResourcePolicyRequest, DeleteResourcePolicyResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";

export const DeleteResourcePolicy: Operation<DeleteResourcePolicyRequest, DeleteResourcePolicyResponse> = async (input, ctx, deps) =>
  deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "DeleteResourcePolicy");
    assertNotScheduledForDeletion(secret);
    if (secret.meta.resourcePolicy !== undefined) {
      const { resourcePolicy: _removed, ...meta } = secret.meta;
      await tx.updateSecret({ ...secret, meta, lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1) });
    }
    return { ARN: secret.arn, Name: secret.name };
  });
