// PutSecretValue (API spec §5.13).
import type { PutSecretValueRequest, PutSecretValueResponse } from "@aws-sdk/client-secrets-manager";
import { InvalidRequestException, messages } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, checkSecretIdForm, resolveSecret } from "./resolve-secret.js";
import { putVersion, stagesMember, valueFromInput } from "./secret-values.js";
import { prepareWriteKey } from "./secret-values.js";

export const PutSecretValue: Operation<PutSecretValueRequest, PutSecretValueResponse> = async (input, ctx, deps) => {
  checkSecretIdForm(input.SecretId as string);
  const value = valueFromInput(input);
  if (!value) throw new InvalidRequestException(messages.missingValue);
  if (value) await prepareWriteKey(deps, ctx);
  const token = input.ClientRequestToken as string;
  return deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "PutSecretValue");
    assertNotScheduledForDeletion(secret);
    const outcome = await putVersion(tx, deps, ctx, secret, token, value, input.VersionStages);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: outcome.versionId,
      VersionStages: stagesMember(outcome.secret, outcome.versionId),
    };
  });
};
