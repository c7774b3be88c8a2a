// TagResource (API spec §5.19).
import type { TagResourceRequest } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";
import type { SecretMeta } from "./secret-meta.js";
import { mergeTags } from "./tags.js";

export const TagResource: Operation<TagResourceRequest, void> = async (input, ctx, deps) =>
  deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "TagResource");
    assertNotScheduledForDeletion(secret);
    const meta = secret.meta as SecretMeta;
    const tags = mergeTags(meta.tags ?? [], input.Tags ?? []);
    await tx.updateSecret({
      ...secret,
      meta: { ...secret.meta, tags, everTagged: true },
      lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1),
    });
  });
