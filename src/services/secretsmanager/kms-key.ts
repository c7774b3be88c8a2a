// KmsKeyId on CreateSecret / UpdateSecret. Until customer-managed keys exist, the only key a
// secret can name is the account's AWS-managed key, by alias, alias ARN, key id or key ARN.
import { EncryptionFailure } from "../../domain/errors.js";
import { MANAGED_SECRETS_KEY_ALIAS } from "../../crypto/keyring.js";
import type { RequestContext, ServiceDeps } from "../context.js";

/** Returns the id to store (undefined = default key), or throws when the key can't be used. */
export async function checkKmsKeyId(deps: ServiceDeps, ctx: RequestContext, kmsKeyId: string | undefined): Promise<string | undefined> {
  if (kmsKeyId === undefined || kmsKeyId === "") return undefined;
  const managed = await deps.keyring.managedSecretsKey(ctx.caller.accountId, ctx.region);
  const aliasArn = `arn:${deps.partition}:kms:${ctx.region}:${ctx.caller.accountId}:${MANAGED_SECRETS_KEY_ALIAS}`;
  if ([MANAGED_SECRETS_KEY_ALIAS, aliasArn, managed.keyId, managed.arn].includes(kmsKeyId)) return kmsKeyId;
  throw new EncryptionFailure(
    "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
  );
}
