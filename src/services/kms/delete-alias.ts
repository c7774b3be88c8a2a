// DeleteAlias (security spec §5.4): works whatever the state of the key it points at.
import type { DeleteAliasRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { NotFoundException, kmsMessages } from "./errors.js";
import { checkAliasName } from "./alias-name.js";
import { aliasArnOf } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";

export const DeleteAlias: Operation<DeleteAliasRequest, void> = async (input, ctx, deps) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName, false);
  const aliasArn = aliasArnOf(deps.partition, ctx.region, ctx.caller.accountId, aliasName);
  const alias = await deps.store.keys.getAlias(ctx.caller.accountId, ctx.region, aliasName);
  if (!alias) throw new NotFoundException(kmsMessages.aliasNotFound(aliasArn));
  // IAM checks the alias and the key it names (§3.7).
  authorizeKms(deps, ctx, { action: "kms:DeleteAlias", aliasArn });
  const target = await deps.keyring.keyEntry(ctx.caller.accountId, ctx.region, alias.targetKeyId, ctx.now);
  // The AWS-managed key's policy grants no kms:DeleteAlias, so its alias stays.
  if (target) authorizeKms(deps, ctx, { action: "kms:DeleteAlias", entry: target });
  return deps.store.transaction(async (tx) => {
    await tx.keys.deleteAlias(ctx.caller.accountId, ctx.region, aliasName);
    return undefined;
  });
};
