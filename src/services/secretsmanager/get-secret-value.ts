// GetSecretValue (API spec §5.9): the hot path.
import type { GetSecretValueRequest, GetSecretValueResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { readValue, recordAccess, valueMembers } from "./read-value.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";

export const GetSecretValue: Operation<GetSecretValueRequest, GetSecretValueResponse> = async (input, ctx, deps) => {
  const secret = await resolveSecret(deps.store, ctx, input.SecretId as string, "GetSecretValue");
  assertNotScheduledForDeletion(secret); // E5
  const read = await readValue(deps, secret, input.VersionId, input.VersionStage);
  await recordAccess(deps, ctx, secret, read.version);
  return valueMembers(secret, read);
};
