// The DescribeSecret / SecretListEntry view of a secret, with AWS's presence rules (API spec §5.6).
import type { DescribeSecretResponse, SecretListEntry } from "@aws-sdk/client-secrets-manager";
import type { SecretRow } from "../../store/store.js";
import { metaOf } from "./secret-meta.js";

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

/** label map → versionId → sorted labels; versions without labels (deprecated) do not appear. */
export function versionsToStages(stages: Record<string, string>): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  let any = false;
  for (const label of Object.keys(stages).sort()) {
    const versionId = stages[label] as string;
    (out[versionId] ??= []).push(label);
    any = true;
  }
  return any ? out : undefined;
}

function common(secret: SecretRow) {
  const meta = metaOf(secret);
  return {
    ARN: secret.arn,
    Name: secret.name,
    Type: meta.type,
    Description: meta.description ? meta.description : undefined,
    KmsKeyId: meta.kmsKeyId ? meta.kmsKeyId : undefined,
    LastChangedDate: new Date(secret.lastChangedAt),
    LastAccessedDate: date(secret.lastAccessedAt),
    DeletedDate: date(secret.deletedAt),
    Tags: meta.everTagged ? (meta.tags ?? []) : undefined,
    OwningService: meta.owningService,
    CreatedDate: new Date(secret.createdAt),
    PrimaryRegion: meta.primaryRegion,
  };
}

export function describeSecret(secret: SecretRow): DescribeSecretResponse {
  return { ...common(secret), VersionIdsToStages: versionsToStages(secret.stages) };
}

export function listEntry(secret: SecretRow): SecretListEntry {
  return { ...common(secret), SecretVersionsToStages: versionsToStages(secret.stages) };
}
