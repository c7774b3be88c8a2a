// SecretId → secret, per API spec §2.4: a name, a full ARN, or a partial ARN (no suffix).
import { parseSecretId, validateSecretIdName } from "../../domain/arn.js";
import { AccessDeniedException, InvalidRequestException, ResourceNotFoundException, messages } from "../../domain/errors.js";
import type { SecretRow, StoreOps } from "../../store/store.js";
import type { RequestContext } from "../context.js";

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
  const parsed = parseSecretId(secretId);
  if (parsed.kind === "invalid") return undefined;
  if (parsed.kind === "name") return ops.getSecretByName(ctx.caller.accountId, ctx.region, parsed.name);
  if (parsed.accountId !== ctx.caller.accountId) {
    // Access to another account's secret needs a resource policy that grants it; until policies
    // are enforced no grant exists, and AWS answers with AccessDenied before any existence check.
    throw new AccessDeniedException(
      `User: ${ctx.caller.principalArn} is not authorized to perform: secretsmanager:${action} on resource: ${secretId} because no resource-based policy allows the secretsmanager:${action} action`,
    );
  }
  if (parsed.region !== ctx.region) return undefined;
  const exact = await ops.getSecretByArn(secretId);
  if (exact) return exact;
  // A trailing "-XXXXXX" means the caller gave a full ARN, which did not match: no name fallback.
  if (parsed.looksFull) return undefined;
  const byName = await ops.getSecretByName(ctx.caller.accountId, ctx.region, parsed.nameIfPartial);
  // The partial ARN must name this secret exactly (partition included).
  return byName && byName.arn.startsWith(`${secretId}-`) ? byName : undefined;
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
