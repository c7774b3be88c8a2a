// Reading and writing secret versions: sealing under the secret's key, idempotent retries by
// ClientRequestToken (API spec §2.6), staging-label moves (§2.5) and version retention.
import {
  openEnvelopeBody,
  openLegacyDataKey,
  readEnvelope,
  sameValue,
  sealEnvelope,
  secretEncryptionContext,
  type PlainValue,
} from "../../crypto/envelope.js";
import { AuthenticationFailed } from "../../crypto/aead.js";
import { firstMaterialId, parseKeyArn } from "../../crypto/keyring.js";
import { applyPut, assertLabelLimit, labelledVersionIds } from "../../domain/labels.js";
import {
  DecryptionFailure,
  InvalidParameterException,
  LimitExceededException,
  ResourceExistsException,
  ValidationException,
  messages,
} from "../../domain/errors.js";
import type { SecretRow, StoreOps, VersionRow } from "../../store/store.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { InvalidCiphertextException } from "../kms/errors.js";
import { decryptWith, generateDataKey, headerOf, keyOfCiphertext } from "../kms/kms-crypto.js";
import { asSecretsManagerError, checkDecryptUse, decryptionFailureText, secretKeyForWrite } from "./kms-key.js";

/** AWS keeps about 100 versions; the oldest ones without labels are dropped beyond that. */
export const MAX_VERSIONS = 100;
/** A version younger than this is never dropped to make room (API spec §2.5 L5). */
const VERSION_MIN_AGE_MS = 24 * 60 * 60 * 1000;
const MAX_VALUE_BYTES = 65_536;
/** The versions UpdateSecret re-encrypts when the secret's key changes (API spec §2.10). */
const REENCRYPTED_LABELS = ["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"];

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
        "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
      );
    }
    return { kind: "string", text };
  }
  if (hasBinary) return { kind: "binary", bytes: Buffer.from(input.SecretBinary as Uint8Array) };
  return undefined;
}

/**
 * Makes sure the AWS-managed key exists before a write's transaction: creating it is a
 * transaction of its own.
 */
export async function prepareWriteKey(deps: ServiceDeps, ctx: RequestContext): Promise<void> {
  await deps.keyring.managedSecretsKeyId(ctx.caller.accountId, ctx.region, deps.partition);
}

export interface SealedVersion {
  sealed: Buffer;
  /** The version row's kmsKeyId: the key ARN, or null for the AWS-managed key. */
  kmsKeyId: string | null;
}

/** Seals a value as version `versionId` under the secret's current key (GenerateDataKey, §5.7). */
export async function sealForSecret(
  deps: ServiceDeps,
  ctx: RequestContext,
  secret: SecretRow,
  versionId: string,
  value: PlainValue,
): Promise<SealedVersion> {
  const context = secretEncryptionContext(secret.arn, versionId);
  const key = await secretKeyForWrite(deps, ctx, secret, context);
  const { plaintext, blob } = generateDataKey(key.entry, 32, context);
  try {
    return { sealed: sealEnvelope(blob, plaintext, secret.arn, versionId, value), kmsKeyId: key.versionKeyId };
  } finally {
    plaintext.fill(0);
  }
}

const decryptionFailure = () => new DecryptionFailure(decryptionFailureText);

/**
 * Opens a stored version; anything that fails to authenticate is DecryptionFailure, never data.
 * The key's state and the caller's kms:Decrypt permission are checked on every read, before the
 * data-key cache is consulted.
 */
export async function openVersion(deps: ServiceDeps, ctx: RequestContext, secret: SecretRow, version: VersionRow): Promise<PlainValue | undefined> {
  const sealed = version.sealed;
  if (sealed === null) return undefined;
  try {
    const parts = readEnvelope(sealed);
    const cache = deps.keyring.dataKeys;
    const now = ctx.now;
    let dataKey: Buffer | undefined;
    let fresh = false;
    if (parts.format === 1) {
      // Written before data keys were KMS ciphertexts: always the AWS-managed key's first material.
      dataKey = cache.get(sealed, now);
      if (!dataKey) {
        const managed = await deps.keyring.managedSecretsKey(secret.accountId, secret.region);
        const material = managed.materials.get(firstMaterialId(managed.record.arn)) as Buffer;
        dataKey = openLegacyDataKey(material, parts.protectedKey, secret.arn, version.versionId);
        fresh = true;
      }
    } else {
      const context = secretEncryptionContext(secret.arn, version.versionId);
      const header = headerOf(parts.protectedKey);
      // The version row names the key by ARN: a key of another account is found in that account.
      const keyAccount = (version.kmsKeyId && parseKeyArn(version.kmsKeyId)?.accountId) || secret.accountId;
      const entry = await keyOfCiphertext(deps, secret.region === ctx.region ? ctx : { ...ctx, region: secret.region }, header, keyAccount);
      if (!entry) throw decryptionFailure();
      checkDecryptUse(deps, ctx, entry, context);
      dataKey = cache.get(sealed, now);
      if (!dataKey) {
        dataKey = await decryptWith(deps, entry, header, parts.protectedKey, context);
        fresh = true;
      }
    }
    try {
      const value = openEnvelopeBody(dataKey, parts.body, secret.arn, version.versionId);
      // Only a key that has just opened this version's value goes into the cache.
      if (fresh) cache.set(sealed, dataKey, now);
      return value;
    } finally {
      if (fresh) dataKey.fill(0);
    }
  } catch (err) {
    if (err instanceof AuthenticationFailed || err instanceof InvalidCiphertextException) throw decryptionFailure();
    throw asSecretsManagerError(err, "decrypt");
  }
}

/**
 * After UpdateSecret changed the secret's key: re-encrypts the versions labelled AWSCURRENT,
 * AWSPENDING and AWSPREVIOUS under the new key (API spec §2.10). `before` is the secret as it was.
 */
export async function reencryptLabelledVersions(
  tx: StoreOps,
  deps: ServiceDeps,
  ctx: RequestContext,
  before: SecretRow,
  after: SecretRow,
): Promise<void> {
  for (const label of REENCRYPTED_LABELS) {
    const versionId = after.stages[label];
    if (versionId === undefined) continue;
    const version = await tx.getVersion(after.arn, versionId);
    if (!version || version.sealed === null) continue;
    const value = (await openVersion(deps, ctx, before, version)) as PlainValue;
    const resealed = await sealForSecret(deps, ctx, after, versionId, value);
    await tx.updateVersionValue(after.arn, versionId, resealed.sealed, resealed.kmsKeyId);
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

/** A version's labels as a response member: a deprecated version's is left out, not empty (§4.2). */
export function stagesMember(secret: SecretRow, versionId: string): string[] | undefined {
  const stages = stagesOfVersion(secret, versionId);
  return stages.length > 0 ? stages : undefined;
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
  if (existing && existing.sealed !== null) {
    // A retry compares with the stored value: Secrets Manager decrypts it (§5.7).
    const stored = await openVersion(deps, ctx, secret, existing);
    if (stored && sameValue(stored, value)) return { secret, versionId: token, changed: false };
    throw new ResourceExistsException(messages.tokenInUse(token, secret.arn)); // E8
  }
  const { sealed, kmsKeyId } = await sealForSecret(deps, ctx, secret, token, value);
  if (existing) {
    // A value-less placeholder (made by rotation) is filled, not a conflict (§2.6).
    await tx.updateVersionValue(secret.arn, token, sealed, kmsKeyId);
  } else {
    await tx.insertVersion({
      secretArn: secret.arn,
      versionId: token,
      createdAt: ctx.now,
      lastAccessedAt: null,
      kmsKeyId,
      sealed,
    });
  }
  const isFirstValue = secret.stages.AWSCURRENT === undefined;
  const stages = applyPut(secret.stages, token, requestedStages, isFirstValue);
  assertLabelLimit(stages);
  const updated: SecretRow = { ...secret, stages, lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1) };
  await tx.updateSecret(updated);
  await dropSurplusVersions(tx, updated, ctx.now);
  return { secret: updated, versionId: token, changed: true };
}

/**
 * Keeps a secret at MAX_VERSIONS versions at most, as AWS does: once there are more, the oldest
 * versions that carry no label go, but never one created in the last 24 hours (API spec §2.5 L5).
 * When that frees no room, the write that made the extra version is refused (it rolls back with
 * the transaction): writing a secret's value faster than versions age out reaches the quota.
 */
async function dropSurplusVersions(tx: StoreOps, secret: SecretRow, now: number): Promise<void> {
  let surplus = (await tx.countVersions(secret.arn)) - MAX_VERSIONS;
  if (surplus <= 0) return;
  const labelled = labelledVersionIds(secret.stages);
  // Enough of the oldest that `surplus` of them carry no label; they come oldest first, so the
  // first one too young to go ends the search.
  for (const versionId of await tx.oldestVersionIds(secret.arn, surplus + labelled.size)) {
    if (surplus <= 0) break;
    if (labelled.has(versionId)) continue;
    const version = await tx.getVersion(secret.arn, versionId);
    if (version === undefined) continue;
    if (now - version.createdAt < VERSION_MIN_AGE_MS) break;
    await tx.deleteVersion(secret.arn, versionId);
    surplus--;
  }
  if (surplus > 0) throw new LimitExceededException(messages.versionLimit(MAX_VERSIONS));
}
