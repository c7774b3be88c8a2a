// Choosing and opening the version a read asks for (API spec §5.9 "Selection and errors").
import { InvalidRequestException, ResourceNotFoundException, messages } from "../../domain/errors.js";
import type { PlainValue } from "../../crypto/envelope.js";
import type { SecretRow, VersionRow } from "../../store/store.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { openVersion, stagesMember } from "./secret-values.js";
import { utcDay } from "./secret-meta.js";

export interface ReadValue {
  version: VersionRow;
  value: PlainValue;
}

export async function readValue(
  deps: ServiceDeps,
  ctx: RequestContext,
  secret: SecretRow,
  versionId: string | undefined,
  versionStage: string | undefined,
): Promise<ReadValue> {
  let version: VersionRow | undefined;
  if (versionId !== undefined) {
    version = await deps.store.getVersion(secret.arn, versionId);
    if (!version || version.sealed === null) throw new ResourceNotFoundException(messages.noValueForVersion(versionId)); // E3
    if (versionStage !== undefined && secret.stages[versionStage] !== versionId) {
      throw new InvalidRequestException(messages.stageNotOnVersion); // E4
    }
  } else {
    const stage = versionStage ?? "AWSCURRENT";
    const id = secret.stages[stage];
    version = id === undefined ? undefined : await deps.store.getVersion(secret.arn, id);
    if (!version || version.sealed === null) throw new ResourceNotFoundException(messages.noValueForStage(stage)); // E2
  }
  const value = (await openVersion(deps, ctx, secret, version)) as PlainValue;
  return { version, value };
}

/** The value members of GetSecretValue / SecretValueEntry. */
export function valueMembers(secret: SecretRow, read: ReadValue) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: read.version.versionId,
    SecretString: read.value.kind === "string" ? read.value.text : undefined,
    SecretBinary: read.value.kind === "binary" ? read.value.bytes : undefined,
    VersionStages: stagesMember(secret, read.version.versionId),
    CreatedDate: new Date(read.version.createdAt),
  };
}

/**
 * LastAccessedDate is kept per day (AWS-OBS), so a read writes only on the first access of a
 * day: the hot path stays read-only the rest of the time.
 */
export async function recordAccess(deps: ServiceDeps, ctx: RequestContext, secret: SecretRow, version: VersionRow): Promise<void> {
  if (!needsAccessRecord(ctx, secret, version)) return;
  const day = utcDay(ctx.now);
  await deps.store.transaction((tx) => tx.touchAccess(secret.arn, version.versionId, day));
}

export function needsAccessRecord(ctx: RequestContext, secret: SecretRow, version: VersionRow): boolean {
  const day = utcDay(ctx.now);
  return secret.lastAccessedAt !== day || version.lastAccessedAt !== day;
}
