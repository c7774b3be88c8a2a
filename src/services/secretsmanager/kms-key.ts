// The KMS key of a secret, as Secrets Manager uses it (security spec §5.7, §5.8, API spec §2.10):
// KmsKeyId on CreateSecret / UpdateSecret names the key by key id, key ARN, alias name or alias
// ARN; every version's data key comes from GenerateDataKey under that key with the context
// {SecretARN, SecretVersionId} and is opened with Decrypt, both made by the KMS core as the
// calling principal via secretsmanager.<region>.amazonaws.com. KMS refusals become Secrets
// Manager's errors: a missing permission is AccessDeniedException "Access to KMS is not
// allowed"; a disabled key or one pending deletion is EncryptionFailure on writes and
// DecryptionFailure on reads, carrying KMS's own text ("<key ARN> is disabled.") since AWS's
// exact wording there is unrecorded (§5.8 recommends passing it through).
import { AccessDeniedException, DecryptionFailure, EncryptionFailure, ServiceError } from "../../domain/errors.js";
import { AuthenticationFailed } from "../../crypto/aead.js";
import type { KmsKeyEntry } from "../../crypto/keyring.js";
import type { EncryptionContext } from "../../crypto/kms-ciphertext.js";
import type { SecretRow } from "../../store/store.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { DisabledException, KMSInvalidStateException } from "../kms/errors.js";
import { resolveKey } from "../kms/key-ids.js";
import { isAwsManaged } from "../kms/key-meta.js";
import { authorizeKms } from "../kms/key-policy.js";
import { assertUsableForCrypto } from "../kms/key-state.js";
import { metaOf } from "./secret-meta.js";

export const kmsAccessDenied = "Access to KMS is not allowed"; // [O] §3.9
export const encryptionFailureText =
  "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.";
export const decryptionFailureText = "Secrets Manager can't decrypt the protected secret text using the provided KMS key.";

/** The version id Secrets Manager uses when it only proves the caller may use a key (§5.7). */
const VALIDATION_VERSION = "RequestToValidateKeyAccess";

export const viaSecretsManager = (region: string) => `secretsmanager.${region}.amazonaws.com`;

export type KmsUse = "encrypt" | "decrypt";

/** Maps what KMS refused to what Secrets Manager answers; other errors pass unchanged. */
export function asSecretsManagerError(err: unknown, use: KmsUse): unknown {
  if (err instanceof AccessDeniedException) return new AccessDeniedException(kmsAccessDenied);
  if (err instanceof DisabledException || err instanceof KMSInvalidStateException) {
    return use === "encrypt" ? new EncryptionFailure(err.message) : new DecryptionFailure(err.message);
  }
  if (err instanceof AuthenticationFailed || (err instanceof ServiceError && (err.code === "NotFoundException" || err.code === "KMSInternalException"))) {
    return use === "encrypt" ? new EncryptionFailure(encryptionFailureText) : new DecryptionFailure(decryptionFailureText);
  }
  return err;
}

/**
 * Checks a KmsKeyId given to CreateSecret / UpdateSecret: the key must exist, be usable, and the
 * caller must be allowed GenerateDataKey and Decrypt on it (Secrets Manager proves this with a
 * throw-away data key, §5.7). Returns the id to store as given (undefined = the AWS-managed key).
 */
export async function checkKmsKeyId(
  deps: ServiceDeps,
  ctx: RequestContext,
  kmsKeyId: string | undefined,
  secretArn?: string,
): Promise<string | undefined> {
  if (kmsKeyId === undefined || kmsKeyId === "") return undefined;
  try {
    const { entry, alias } = await resolveKey(deps, ctx, kmsKeyId, "any");
    if (isAwsManaged(entry.record)) return kmsKeyId;
    const context: EncryptionContext = secretArn ? { SecretARN: secretArn, SecretVersionId: VALIDATION_VERSION } : { SecretVersionId: VALIDATION_VERSION };
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      authorizeKms(deps, ctx, { action, entry, requestAlias: alias, viaService: viaSecretsManager(ctx.region), encryptionContext: context });
    }
    assertUsableForCrypto(entry.record);
    return kmsKeyId;
  } catch (err) {
    throw asSecretsManagerError(err, "encrypt");
  }
}

export interface SecretKey {
  entry: KmsKeyEntry;
  /** What the version row records: the key ARN, or null for the AWS-managed key (API spec §2.10). */
  versionKeyId: string | null;
}

/**
 * The key new versions of `secret` are sealed under, checked for GenerateDataKey. The AWS-managed
 * key must already exist (prepareWriteKey): it is made in a transaction of its own.
 */
export async function secretKeyForWrite(deps: ServiceDeps, ctx: RequestContext, secret: SecretRow, context: EncryptionContext): Promise<SecretKey> {
  const configured = metaOf(secret).kmsKeyId;
  try {
    if (configured === undefined) return { entry: await deps.keyring.managedSecretsKey(secret.accountId, secret.region), versionKeyId: null };
    const { entry, alias } = await resolveKey(deps, { ...ctx, region: secret.region }, configured, "any");
    if (isAwsManaged(entry.record)) return { entry, versionKeyId: null };
    authorizeKms(deps, ctx, {
      action: "kms:GenerateDataKey",
      entry,
      requestAlias: alias,
      viaService: viaSecretsManager(secret.region),
      encryptionContext: context,
    });
    assertUsableForCrypto(entry.record);
    return { entry, versionKeyId: entry.record.arn };
  } catch (err) {
    throw asSecretsManagerError(err, "encrypt");
  }
}

/** Checks that the caller may open a data key made under `entry` for this version (kms:Decrypt). */
export function checkDecryptUse(deps: ServiceDeps, ctx: RequestContext, entry: KmsKeyEntry, context: EncryptionContext): void {
  // The AWS-managed key serves every principal of its account through Secrets Manager (§5.6);
  // callers from other accounts never get this far (secret resolution refuses them).
  if (isAwsManaged(entry.record)) return;
  try {
    authorizeKms(deps, ctx, { action: "kms:Decrypt", entry, viaService: viaSecretsManager(entry.record.region), encryptionContext: context });
    assertUsableForCrypto(entry.record);
  } catch (err) {
    throw asSecretsManagerError(err, "decrypt");
  }
}
