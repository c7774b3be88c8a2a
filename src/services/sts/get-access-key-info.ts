// GetAccessKeyInfo: the account an access key (long-term or temporary) belongs to. Unknown keys
// answer with the caller's account, as AWS does not reveal whether a key exists (unverified).
import type { GetAccessKeyInfoRequest, GetAccessKeyInfoResponse } from "@aws-sdk/client-sts";
import type { Operation } from "../context.js";

export const GetAccessKeyInfo: Operation<GetAccessKeyInfoRequest, GetAccessKeyInfoResponse> = async (input, ctx, deps) => {
  const id = input.AccessKeyId as string;
  const key = id.startsWith("ASIA") ? await deps.store.identity.getSession(id) : await deps.store.getAccessKey(id);
  return { Account: key?.accountId ?? ctx.caller.accountId };
};
