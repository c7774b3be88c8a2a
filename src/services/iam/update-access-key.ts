// UpdateAccessKey: Active ↔ Inactive. An inactive key is refused like an unknown one (§2.5).
import type { UpdateAccessKeyRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireKeyOf } from "./access-keys.js";
import { targetUser } from "./entities.js";
import { iamWrite } from "./writes.js";

export const UpdateAccessKey: Operation<UpdateAccessKeyRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const user = await targetUser(tx, ctx, input.UserName);
    const key = await requireKeyOf(tx, user?.arn ?? ctx.caller.principalArn, input.AccessKeyId as string);
    await tx.identity.setAccessKeyStatus(key.accessKeyId, input.Status as "Active" | "Inactive");
    return {};
  });
