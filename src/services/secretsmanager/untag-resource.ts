// UntagResource (API spec §5.20): keys that are not there are ignored.
import type { UntagResourceRequest } from "@aws-sdk/client-secrets-manager";
import { InvalidParameterException, messages } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { assertNotScheduledForDeletion, resolveSecret } from "./resolve-secret.js";
import type { SecretMeta } from "./secret-meta.js";

export const UntagResource: Operation<UntagResourceRequest, void> = async (input, ctx, deps) =>
  deps.store.transaction(async (tx) => {
    const secret = await resolveSecret(tx, ctx, input.SecretId as string, "UntagResource");
    assertNotScheduledForDeletion(secret);
    const keys = new Set(input.TagKeys ?? []);
    for (const key of keys) {
      if (key.toLowerCase().startsWith("aws:")) {
        throw new InvalidParameterException(messages.systemTag(key));
      }
    }
    const meta = secret.meta as SecretMeta;
    const tags = (meta.tags ?? []).filter((t) => !keys.has(t.Key));
    await tx.updateSecret({
      ...secret,
      meta: { ...secret.meta, tags, everTagged: meta.everTagged === true || tags.length > 0 },
      lastChangedAt: Math.max(ctx.now, secret.lastChangedAt + 1),
    });
  });
