// GetSecretValue (API spec §5.9): the hot path.
import type { GetSecretValueRequest, GetSecretValueResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { needsAccessRecord, readValue, recordAccess, valueMembers } from "./read-value.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";

export const GetSecretValue: Operation<GetSecretValueRequest, GetSecretValueResponse> = async (input, ctx, deps) => {
  const secret = await resolveSecret(deps.store, ctx, input.SecretId as string, "GetSecretValue");
  assertNotScheduledForDeletion(secret); // E5
  const read = await readValue(deps, ctx, secret, input.VersionId, input.VersionStage);
  // Only the first read of a day writes (LastAccessedDate is date-only); skip the call otherwise.
  if (needsAccessRecord(ctx, secret, read.version)) await recordAccess(deps, ctx, secret, read.version);
  return valueMembers(secret, read);
};
