// CreateAccessKey: a new key pair for a user (or, without UserName, for the caller). The secret is
// in this answer only; the store keeps it sealed under the root key (it is needed to check
// signatures, so it is encrypted rather than hashed). At most two keys per user.
import type { CreateAccessKeyRequest, CreateAccessKeyResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { targetUser } from "./entities.js";
import { LimitExceeded, iamMessages } from "./errors.js";
import { accessKeyAad, newKeyId, newSecretKey } from "./credentials.js";
import { iamWrite } from "./writes.js";

export const KEYS_PER_USER = 2;

export const CreateAccessKey: Operation<CreateAccessKeyRequest, CreateAccessKeyResponse> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const user = await targetUser(tx, ctx, input.UserName);
    const ownerArn = user?.arn ?? ctx.caller.principalArn;
    if ((await tx.identity.listAccessKeysOf(ownerArn)).length >= KEYS_PER_USER) throw new LimitExceeded(iamMessages.accessKeyQuota);
    const accessKeyId = newKeyId("AKIA");
    const secretAccessKey = newSecretKey();
    await tx.insertAccessKey({
      accessKeyId,
      accountId: ctx.caller.accountId,
      principalArn: ownerArn,
      sealedSecret: deps.keyring.wrapWithRoot(Buffer.from(secretAccessKey, "utf8"), accessKeyAad(accessKeyId)),
      status: "Active",
      createdAt: ctx.now,
    });
    return {
      AccessKey: { UserName: user?.name, AccessKeyId: accessKeyId, Status: "Active", SecretAccessKey: secretAccessKey, CreateDate: new Date(ctx.now) },
    };
  });
