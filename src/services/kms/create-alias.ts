// CreateAlias (security spec §5.4): a new alias for a customer-managed key of the same account and
// region; the target may not be pending deletion; a taken name is AlreadyExistsException.
import type { CreateAliasRequest } from "@aws-sdk/client-kms";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import { AlreadyExistsException, kmsMessages } from "./errors.js";
import { checkAliasName } from "./alias-name.js";
import { aliasArnOf, resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { assertNotPendingDeletion } from "./key-state.js";

export const CreateAlias: Operation<CreateAliasRequest, void> = async (input, ctx, deps) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName, true);
  const { entry } = await resolveKey(deps, ctx, input.TargetKeyId as string, "id-or-arn");
  const aliasArn = aliasArnOf(deps.partition, ctx.region, ctx.caller.accountId, aliasName);
  // IAM checks the alias and the key it names (§3.7).
  authorizeKms(deps, ctx, { action: "kms:CreateAlias", aliasArn });
  authorizeKms(deps, ctx, { action: "kms:CreateAlias", entry });
  assertNotPendingDeletion(entry.record);
  try {
    return await deps.store.transaction(async (tx) => {
      await tx.keys.insertAlias({
        accountId: ctx.caller.accountId,
        region: ctx.region,
        aliasName,
        targetKeyId: entry.record.keyId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      });
      return undefined;
    });
  } catch (err) {
    if (err instanceof UniqueViolationError) throw new AlreadyExistsException(kmsMessages.aliasExists(aliasArn));
    throw err;
  }
};
