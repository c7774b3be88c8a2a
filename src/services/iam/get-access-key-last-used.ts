// GetAccessKeyLastUsed: the key's owner; Coffer does not track use per key, so the answer is
// AWS's form for a key never used ("N/A" for region and service).
import type { GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { NoSuchEntity, iamMessages } from "./errors.js";

export const GetAccessKeyLastUsed: Operation<GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse> = async (input, ctx, deps) => {
  const id = input.AccessKeyId as string;
  const key = await deps.store.getAccessKey(id);
  if (!key || key.accountId !== ctx.caller.accountId) throw new NoSuchEntity(iamMessages.accessKeyNotFound(id));
  const owner = await deps.store.identity.getEntityByArn(key.principalArn);
  return { UserName: owner?.name ?? "root", AccessKeyLastUsed: { Region: "N/A", ServiceName: "N/A", LastUsedDate: undefined } };
};
