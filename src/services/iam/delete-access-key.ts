// DeleteAccessKey: the key stops working at once in this process, and in others as soon as they
// notice the identity generation change (server/access-keys.ts).
import type { DeleteAccessKeyRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireKeyOf } from "./access-keys.js";
import { targetUser } from "./entities.js";
import { iamWrite } from "./writes.js";

export const DeleteAccessKey: Operation<DeleteAccessKeyRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const user = await targetUser(tx, ctx, input.UserName);
    const key = await requireKeyOf(tx, user?.arn ?? ctx.caller.principalArn, input.AccessKeyId as string);
    await tx.identity.deleteAccessKey(key.accessKeyId);
    return {};
  });
