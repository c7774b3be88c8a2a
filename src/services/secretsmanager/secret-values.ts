// Reading and writing secret versions: sealing under the secret's key, idempotent retries by
// ClientRequestToken (API spec §2.6), staging-label moves (§2.5) and version retention.
import { openValue, sameValue, sealValue, type PlainValue } from "../../crypto/envelope.js";
import { AuthenticationFailed } from "../../crypto/aead.js";
import { applyPut, assertLabelLimit, labelledVersionIds } from "../../domain/labels.js";
import {
  DecryptionFailure,
  InvalidParameterException,
  ResourceExistsException,
  ValidationException,
  messages,
} from "../../domain/errors.js";
import type { SecretRow, StoreOps, VersionRow } from "../../store/store.js";
import type { RequestContext, ServiceDeps } from "../context.js";

/** AWS keeps about 100 versions; the oldest ones without labels are dropped beyond that. */
export const MAX_VERSIONS = 100;
const MAX_VALUE_BYTES = 65_536;

/** The value of a write request, or undefined when it carries none. */
export function valueFromInput(input: { SecretString?: string; SecretBinary?: Uint8Array }): PlainValue | undefined {
  const hasString = input.SecretString !== undefined;
  const hasBinary = input.SecretBinary !== undefined;
  if (hasString && hasBinary) throw new InvalidParameterException(messages.bothValues); // E16
  if (hasString) {
    const text = input.SecretString as string;
    // The model counts characters; the quota is 65,536 bytes of UTF-8.
    if (Buffer.byteLength(text, "utf8") > MAX_VALUE_BYTES) {
      throw new ValidationException(
        "1 validation error detected: Value '***' at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
      );
    }
    return { kind: "string", text };
  }
  if (hasBinary) return { kind: "binary", bytes: Buffer.from(input.SecretBinary as Uint8Array) };
  return undefined;
}

/**
 * Makes sure the key that new versions are sealed under exists. Called before a write's
 * transaction: creating the key is a transaction of its own.
 */
export async function prepareWriteKey(deps: ServiceDeps, ctx: RequestContext): Promise<void> {
  await deps.keyring.managedSecretsKey(ctx.caller.accountId, ctx.region);
}

async function keyMaterial(deps: ServiceDeps, secret: SecretRow, kmsKeyId: string | null): Promise<Buffer> {
  if (kmsKeyId === null) return (await deps.keyring.managedSecretsKey(secret.accountId, secret.region)).material;
  return (await deps.keyring.keyByArn(secret.accountId, secret.region, kmsKeyId)).material;
}

export async function sealForSecret(deps: ServiceDeps, secret: SecretRow, versionId: string, value: PlainValue): Promise<Buffer> {
  return sealValue(await keyMaterial(deps, secret, null), secret.arn, versionId, value);
}

/** Opens a stored version; anything that fails to authenticate is DecryptionFailure, never data. */
export async function openVersion(deps: ServiceDeps, secret: SecretRow, version: VersionRow): Promise<PlainValue | undefined> {
  if (version.sealed === null) return undefined;
  const material = await keyMaterial(deps, secret, version.kmsKeyId);
  try {
    return openValue(material, secret.arn, version.versionId, version.sealed, deps.keyring.dataKeys);
  } catch (err) {
    if (err instanceof AuthenticationFailed) {
      throw new DecryptionFailure(
        "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
      );
    }
    throw err;
  }
}

export interface PutOutcome {
  secret: SecretRow;
  versionId: string;
  /** False when the request repeated an earlier one (same token, same value): nothing changed. */
  changed: boolean;
}

/** Labels of one version, ascending (API spec §2.5 L6). */
export function stagesOfVersion(secret: SecretRow, versionId: string): string[] {
  return Object.keys(secret.stages)
    .filter((label) => secret.stages[label] === versionId)
    .sort();
}

/**
 * Writes `value` as version `token` of `secret` inside transaction `tx`. The secret row must
 * have been read in the same transaction (which locks it).
 */
export async function putVersion(
  tx: StoreOps,
  deps: ServiceDeps,
  ctx: RequestContext,
  secret: SecretRow,
  token: string,
  value: PlainValue,
  requestedStages: string[] | undefined,
): Promise<PutOutcome> {
  const existing = await tx.getVersion(secret.arn, token);
  const sealed = await sealForSecret(deps, secret, token, value);
  if (existing && existing.sealed !== null) {
    const stored = await openVersion(deps, secret, existing);
    if (stored && sameValue(stored, value)) return { secret, versionId: token, changed: false };
    throw new ResourceExistsException(messages.tokenInUse(token, secret.arn)); // E8
  }
  if (existing) {
    // A value-less placeholder (made by rotation) is filled, not a conflict (§2.6).
    await tx.updateVersionValue(secret.arn, token, sealed, null);
  } else {
    await tx.insertVersion({
      secretArn: secret.arn,
      versionId: token,
      createdAt: ctx.now,
      lastAccessedAt: null,
      kmsKeyId: null,
      sealed,
    });
  }
  const isFirstValue = secret.stages.AWSCURRENT === undefined;
  const stages = applyPut(secret.stages, token, requestedStages, isFirstValue);
  assertLabelLimit(stages);
  const updated: SecretRow = { ...secret, stages, lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1) };
  await tx.updateSecret(updated);
  await dropSurplusVersions(tx, updated);
  return { secret: updated, versionId: token, changed: true };
}

/** Keeps at most MAX_VERSIONS versions by dropping the oldest ones that carry no label. */
async function dropSurplusVersions(tx: StoreOps, secret: SecretRow): Promise<void> {
  const versions = await tx.listVersions(secret.arn);
  let surplus = versions.length - MAX_VERSIONS;
  if (surplus <= 0) return;
  const labelled = labelledVersionIds(secret.stages);
  for (const version of versions) {
    if (surplus <= 0) break;
    if (labelled.has(version.versionId)) continue;
    await tx.deleteVersion(secret.arn, version.versionId);
    surplus--;
  }
}
