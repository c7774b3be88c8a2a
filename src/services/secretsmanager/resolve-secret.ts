// SecretId → secret, per API spec §2.4: a name, a full ARN, or a partial ARN (no suffix).
import { parseSecretId, validateSecretIdName } from "../../domain/arn.js";
import { InvalidRequestException, ResourceNotFoundException, messages } from "../../domain/errors.js";
import type { SecretRow, StoreOps } from "../../store/store.js";
import type { RequestContext } from "../context.js";
import { metaOf } from "./secret-meta.js";

/** Checks an id's form without touching the store (validation precedes lookup, §2.12). */
export function checkSecretIdForm(secretId: string): void {
  if (!secretId.startsWith("arn:")) validateSecretIdName(secretId);
}

export async function findSecret(
  ops: StoreOps,
  ctx: RequestContext,
  secretId: string,
  action: string,
): Promise<SecretRow | undefined> {
  checkSecretIdForm(secretId); // E10 comes before any lookup
  // Outside a transaction, the lookup the authorize step made for this id answers (no second read).
  const known = ctx.resolvedSecret;
  if (known !== undefined && known.secretId === secretId && "transaction" in ops) {
    if (known.secret && known.secret.accountId !== ctx.caller.accountId) assertSharableKey(known.secret, action);
    return known.secret;
  }
  const parsed = parseSecretId(secretId);
  if (parsed.kind === "invalid") return undefined;
  if (parsed.kind === "name") return ops.getSecretByName(ctx.caller.accountId, ctx.region, parsed.name);
  // Another account's secret is reachable here only because the pipeline's authorization found
  // that both the caller's policies and the secret's resource policy allow it (security spec §3.8).
  if (parsed.region !== ctx.region) return undefined;
  const exact = await ops.getSecretByArn(secretId);
  // A trailing "-XXXXXX" means the caller gave a full ARN, which did not match: no name fallback.
  const found = exact ?? (parsed.looksFull ? undefined : await ops.getSecretByName(parsed.accountId, ctx.region, parsed.nameIfPartial));
  // The partial ARN must name this secret exactly (partition included).
  const secret = found === exact || (found && found.arn.startsWith(`${secretId}-`)) ? found : undefined;
  if (secret && secret.accountId !== ctx.caller.accountId) assertSharableKey(secret, action);
  return secret;
}

/**
 * The AWS managed key cannot be shared, so another account can neither read nor write the value
 * of a secret encrypted with it (E17, API spec §8.1).
 */
function assertSharableKey(secret: SecretRow, action: string): void {
  if (action !== "GetSecretValue" && action !== "PutSecretValue") return;
  const keyId = metaOf(secret).kmsKeyId;
  if (keyId === undefined || keyId === "alias/aws/secretsmanager" || keyId.endsWith(":alias/aws/secretsmanager")) {
    throw new InvalidRequestException(messages.crossAccountDefaultKey);
  }
}

export async function resolveSecret(ops: StoreOps, ctx: RequestContext, secretId: string, action: string): Promise<SecretRow> {
  const secret = await findSecret(ops, ctx, secretId, action);
  if (!secret) throw new ResourceNotFoundException(messages.secretNotFound);
  return secret;
}

/** For operations that AWS refuses on a secret scheduled for deletion (E5). */
export function assertNotScheduledForDeletion(secret: SecretRow): void {
  if (secret.deletedAt !== null) throw new InvalidRequestException(messages.markedForDeletion);
}
