// The deletion worker's one step: purge a secret whose recovery window has ended. It re-reads
// the secret in its own transaction, so a RestoreSecret that won the race keeps the secret.
import type { Operation } from "../context.js";

export const PurgeScheduledSecret: Operation<{ SecretArn: string }, { Purged: boolean }> = async (input, ctx, deps) =>
  deps.store.transaction(async (tx) => {
    const secret = await tx.getSecretByArn(input.SecretArn);
    if (!secret || secret.deletionAt === null || secret.deletionAt > ctx.now) return { Purged: false };
    await tx.deleteSecret(secret.arn);
    return { Purged: true };
  });
