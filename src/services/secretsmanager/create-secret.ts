// CreateSecret (API spec §5.3).
import type { CreateSecretRequest, CreateSecretResponse } from "@aws-sdk/client-secrets-manager";
import { sameValue } from "../../crypto/envelope.js";
import { isValidSecretName, randomSuffix, secretArn } from "../../domain/arn.js";
import { InvalidRequestException, ResourceExistsException, ValidationException, messages } from "../../domain/errors.js";
import { UniqueViolationError, type SecretRow } from "../../store/store.js";
import type { Operation } from "../context.js";
import { checkKmsKeyId } from "./kms-key.js";
import { openVersion, putVersion, valueFromInput } from "./secret-values.js";
import { prepareWriteKey } from "./secret-values.js";
import type { SecretMeta } from "./secret-meta.js";
import { mergeTags } from "./tags.js";
import { notSupportedYet } from "./not-supported.js";

export const CreateSecret: Operation<CreateSecretRequest, CreateSecretResponse> = async (input, ctx, deps) => {
  const name = input.Name as string;
  if (!isValidSecretName(name)) throw new ValidationException(messages.invalidName); // E10
  const value = valueFromInput(input);
  const tags = input.Tags ? mergeTags([], input.Tags) : undefined;
  const kmsKeyId = await checkKmsKeyId(deps, ctx, input.KmsKeyId);
  if (input.AddReplicaRegions) notSupportedYet("Replication to other regions (AddReplicaRegions)");
  if (value) await prepareWriteKey(deps, ctx);
  const token = input.ClientRequestToken as string | undefined;

  return deps.store.transaction(async (tx) => {
    const existing = await tx.getSecretByName(ctx.caller.accountId, ctx.region, name);
    if (existing) {
      if (existing.deletedAt !== null) throw new InvalidRequestException(messages.nameScheduledForDeletion); // E6
      // A retry of the same create (same token, same value) answers like the first call (§2.6).
      const version = value && token ? await tx.getVersion(existing.arn, token) : undefined;
      if (value && token && version && version.sealed !== null) {
        const stored = await openVersion(deps, ctx, existing, version);
        if (stored && sameValue(stored, value)) return { ARN: existing.arn, Name: existing.name, VersionId: token };
        throw new ResourceExistsException(messages.tokenInUse(token, existing.arn)); // E8
      }
      throw new ResourceExistsException(messages.secretExists(name)); // E7
    }
    const meta: SecretMeta = {};
    if (input.Description !== undefined) meta.description = input.Description;
    if (kmsKeyId) meta.kmsKeyId = kmsKeyId;
    if (tags) {
      meta.tags = tags;
      meta.everTagged = true;
    }
    if (input.Type !== undefined) meta.type = input.Type;
    const secret: SecretRow = {
      accountId: ctx.caller.accountId,
      region: ctx.region,
      arn: secretArn(deps.partition, ctx.region, ctx.caller.accountId, name, randomSuffix()),
      name,
      createdAt: ctx.now,
      lastChangedAt: ctx.now,
      lastAccessedAt: null,
      deletedAt: null,
      deletionAt: null,
      stages: {},
      meta: meta as Record<string, unknown>,
    };
    try {
      await tx.insertSecret(secret);
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new ResourceExistsException(messages.secretExists(name));
      throw err;
    }
    if (!value || !token) return { ARN: secret.arn, Name: name };
    // CreateSecret's first version keeps the creation time so CreatedDate matches LastChangedDate.
    const outcome = await putVersion(tx, deps, { ...ctx }, { ...secret, lastChangedAt: ctx.now - 1 }, token, value, undefined);
    return { ARN: secret.arn, Name: name, VersionId: outcome.versionId };
  });
};
