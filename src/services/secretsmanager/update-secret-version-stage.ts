// UpdateSecretVersionStage (API spec §5.22).
import type { UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse } from "@aws-sdk/client-secrets-manager";
import { applyStageUpdate } from "../../domain/labels.js";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";

export const UpdateSecretVersionStage: Operation<UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse> = async (
  input,
  ctx,
  deps,
) =>
  deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "UpdateSecretVersionStage");
    assertNotScheduledForDeletion(secret);
    const known = new Set((await tx.listVersions(secret.arn)).filter((v) => v.sealed !== null).map((v) => v.versionId));
    const stages = applyStageUpdate(secret.stages, input.VersionStage as string, input.RemoveFromVersionId, input.MoveToVersionId, known);
    if (JSON.stringify(stages) !== JSON.stringify(secret.stages)) {
      await tx.updateSecret({ ...secret, stages, lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1) });
    }
    return { ARN: secret.arn, Name: secret.name };
  });
