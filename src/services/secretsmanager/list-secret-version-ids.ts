// ListSecretVersionIds (API spec §5.11).
import type {
  ListSecretVersionIdsRequest,
  ListSecretVersionIdsResponse,
  SecretVersionsListEntry,
} from "@aws-sdk/client-secrets-manager";
import { InvalidNextTokenException } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";
import { stagesMember } from "./secret-values.js";

export const ListSecretVersionIds: Operation<ListSecretVersionIdsRequest, ListSecretVersionIdsResponse> = async (input, ctx, deps) => {
  const secret = await resolveSecret(deps.store, ctx, input.SecretId as string, "ListSecretVersionIds");
  assertNotScheduledForDeletion(secret);
  const all = await deps.store.listVersions(secret.arn);
  const entries: SecretVersionsListEntry[] = [];
  for (const version of all) {
    if (version.sealed === null) continue; // value-less placeholders are not listed
    const stages = stagesMember(secret, version.versionId);
    if (stages === undefined && input.IncludeDeprecated !== true) continue;
    entries.push({
      VersionId: version.versionId,
      VersionStages: stages,
      LastAccessedDate: version.lastAccessedAt === null ? undefined : new Date(version.lastAccessedAt),
      CreatedDate: new Date(version.createdAt),
      // The AWS-managed key shows as this literal (AWS-OBS).
      KmsKeyIds: [version.kmsKeyId ?? "DefaultEncryptionKey"],
    });
  }
  // The token is the id of the first version of the next page; versions only ever append.
  let start = 0;
  if (input.NextToken !== undefined) {
    const versionId = Buffer.from(input.NextToken, "base64url").toString("utf8");
    start = entries.findIndex((e) => e.VersionId === versionId);
    if (start < 0) throw new InvalidNextTokenException("The NextToken value is invalid.");
  }
  const max = input.MaxResults ?? 100;
  const page = entries.slice(start, start + max);
  const next = entries[start + max];
  return {
    Versions: page,
    NextToken: next ? Buffer.from(next.VersionId as string).toString("base64url") : undefined,
    ARN: secret.arn,
    Name: secret.name,
  };
};
