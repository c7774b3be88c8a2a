// GetUser: the named user, or without UserName the caller itself (the account root answers as
// AWS answers for it: its account id as UserId and the root ARN).
import type { GetUserRequest, GetUserResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { targetUser, userShape } from "./entities.js";
import { rootArn } from "./identifiers.js";

export const GetUser: Operation<GetUserRequest, GetUserResponse> = async (input, ctx, deps) => {
  const user = await targetUser(deps.store, ctx, input.UserName);
  if (user) return { User: userShape(user) };
  const account = await deps.store.getAccount(ctx.caller.accountId);
  return {
    User: {
      Path: "/",
      UserName: undefined,
      UserId: ctx.caller.accountId,
      Arn: rootArn(deps.partition, ctx.caller.accountId),
      CreateDate: new Date(account?.createdAt ?? ctx.now),
    },
  };
};
