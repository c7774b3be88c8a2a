// UpdateAlias (security spec §5.4): points an existing alias at another customer-managed key;
// only a new target pending deletion is refused (KMS developer guide, key states, note 10).
import type { UpdateAliasRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { NotFoundException, kmsMessages } from "./errors.js";
import { checkAliasName } from "./alias-name.js";
import { aliasArnOf, resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";

export const UpdateAlias: Operation<UpdateAliasRequest, void> = async (input, ctx, deps) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName, false);
  const aliasArn = aliasArnOf(deps.partition, ctx.region, ctx.caller.accountId, aliasName);
  const alias = await deps.store.keys.getAlias(ctx.caller.accountId, ctx.region, aliasName);
  if (!alias) throw new NotFoundException(kmsMessages.aliasNotFound(aliasArn));
  const target = await resolveKey(deps, ctx, input.TargetKeyId as string, "id-or-arn");
  const current = await deps.keyring.keyEntry(ctx.caller.accountId, ctx.region, alias.targetKeyId, ctx.now);
  // IAM checks the alias, the key it leaves and the key it moves to (§3.7).
  authorizeKms(deps, ctx, { action: "kms:UpdateAlias", aliasArn });
  if (current) authorizeKms(deps, ctx, { action: "kms:UpdateAlias", entry: current });
  authorizeKms(deps, ctx, { action: "kms:UpdateAlias", entry: target.entry });
  assertNotPendingDeletion(target.entry.record);
  return deps.store.transaction(async (tx) => {
    await tx.keys.updateAlias({ ...alias, targetKeyId: target.entry.record.keyId, updatedAt: ctx.now });
    return undefined;
  });
};
