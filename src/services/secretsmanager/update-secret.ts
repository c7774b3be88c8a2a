// UpdateSecret (API spec §5.21). SDKs always send a ClientRequestToken; it makes a version only
// when a value comes with it.
import type { UpdateSecretRequest, UpdateSecretResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { checkKmsKeyId } from "./kms-key.js";
import { assertNotScheduledForDeletion, checkSecretIdForm, resolveSecret } from "./resolve-secret.js";
import { putVersion, reencryptLabelledVersions, valueFromInput } from "./secret-values.js";
import { prepareWriteKey } from "./secret-values.js";
import type { SecretMeta } from "./secret-meta.js";

export const UpdateSecret: Operation<UpdateSecretRequest, UpdateSecretResponse> = async (input, ctx, deps) => {
  checkSecretIdForm(input.SecretId as string);
  const value = valueFromInput(input);
  if (value || input.KmsKeyId !== undefined) await prepareWriteKey(deps, ctx);
  const kmsKeyId = input.KmsKeyId === undefined ? undefined : ((await checkKmsKeyId(deps, ctx, input.KmsKeyId)) ?? "");
  return deps.store.transaction(async (tx) => {
    let secret = await resolveSecret(tx, ctx, input.SecretId as string, "UpdateSecret");
    assertNotScheduledForDeletion(secret);
    const meta: SecretMeta = { ...(secret.meta as SecretMeta) };
    let changed = false;
    if (input.Description !== undefined) {
      meta.description = input.Description;
      changed = true;
    }
    if (kmsKeyId !== undefined) {
      if (kmsKeyId === "") delete meta.kmsKeyId; // "" reverts to the AWS-managed key
      else meta.kmsKeyId = kmsKeyId;
      changed = true;
    }
    if (input.Type !== undefined) {
      meta.type = input.Type;
      changed = true;
    }
    if (changed) {
      const before = secret;
      secret = { ...secret, meta: meta as Record<string, unknown>, lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1) };
      await tx.updateSecret(secret);
      // A new key re-encrypts the labelled versions (API spec §2.10).
      if ((before.meta as SecretMeta).kmsKeyId !== meta.kmsKeyId) await reencryptLabelledVersions(tx, deps, ctx, before, secret);
    }
    if (!value) return { ARN: secret.arn, Name: secret.name };
    const outcome = await putVersion(tx, deps, ctx, secret, input.ClientRequestToken as string, value, undefined);
    return { ARN: secret.arn, Name: secret.name, VersionId: outcome.versionId };
  });
};
