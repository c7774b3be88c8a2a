// GetCallerIdentity: who signed the request. It needs no permission and even an explicit deny does
// not stop it (security spec §3.8 notes, §4.2).
import type { GetCallerIdentityRequest, GetCallerIdentityResponse } from "@aws-sdk/client-sts";
import type { Operation } from "../context.js";

export const GetCallerIdentity: Operation<GetCallerIdentityRequest, GetCallerIdentityResponse> = async (_input, ctx) => ({
  UserId: ctx.caller.principalId ?? ctx.caller.accountId,
  Account: ctx.caller.accountId,
  Arn: ctx.caller.principalArn,
});
