// RestoreSecret (API spec §5.16): cancels a scheduled deletion; a no-op on an active secret.
import type { RestoreSecretRequest, RestoreSecretResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { resolveSecret } from "./resolve-secret.js";

export const RestoreSecret: Operation<RestoreSecretRequest, RestoreSecretResponse> = async (input, ctx, deps) =>
  deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "RestoreSecret");
    if (secret.deletedAt !== null) {
      await tx.updateSecret({
        ...secret,
        deletedAt: null,
        deletionAt: null,
        lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1),
      });
    }
    return { ARN: secret.arn, Name: secret.name };
  });
