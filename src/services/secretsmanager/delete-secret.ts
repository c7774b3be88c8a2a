// DeleteSecret (API spec §5.5, lifecycle §2.8). Scheduled secrets are purged by the server's
// deletion worker when their recovery window ends.
import type { DeleteSecretRequest, DeleteSecretResponse } from "@aws-sdk/client-secrets-manager";
import { randomSuffix, secretArn } from "../../domain/arn.js";
import { InvalidParameterException, InvalidRequestException, ResourceNotFoundException, messages } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { checkSecretIdForm, findSecret } from "./resolve-secret.js";

const DAY_MS = 86_400_000;
const DEFAULT_RECOVERY_DAYS = 30;

export const DeleteSecret: Operation<DeleteSecretRequest, DeleteSecretResponse> = async (input, ctx, deps) => {
  const secretId = input.SecretId as string;
  checkSecretIdForm(secretId); // E10 before the parameter rules (§2.12 steps 4, 5)
  const window = input.RecoveryWindowInDays;
  const force = input.ForceDeleteWithoutRecovery === true;
  // The range check comes first, even together with force (AWS-OBS).
  if (window !== undefined && (window < 7 || window > 30)) throw new InvalidParameterException(messages.recoveryWindowRange);
  if (force && window !== undefined) throw new InvalidParameterException(messages.forceWithWindow);
  return deps.store.transaction(async (tx) => {
    const secret = await findSecret(tx, ctx, secretId, "DeleteSecret");
    if (!secret) {
      if (!force) throw new ResourceNotFoundException(messages.secretNotFound);
      // Force-deleting a secret that does not exist succeeds and echoes the id (AWS-OBS).
      const arn = secretId.startsWith("arn:")
        ? secretId
        : secretArn(deps.partition, ctx.region, ctx.caller.accountId, secretId, randomSuffix());
      return { ARN: arn, Name: secretId, DeletionDate: new Date(ctx.now) };
    }
    if (force) {
      await tx.deleteSecret(secret.arn);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(ctx.now) };
    }
    if (secret.deletedAt !== null) throw new InvalidRequestException(messages.markedForDeletion);
    const deletionAt = ctx.now + (window ?? DEFAULT_RECOVERY_DAYS) * DAY_MS;
    await tx.updateSecret({
      ...secret,
      deletedAt: ctx.now,
      deletionAt,
      lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1),
    });
    return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(deletionAt) };
  });
};
