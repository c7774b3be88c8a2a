// DescribeKey (security spec §5.4): works in every key state; KeyId in any of its four forms.
import type { DescribeKeyRequest, DescribeKeyResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { keyMetadata } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";

export const DescribeKey: Operation<DescribeKeyRequest, DescribeKeyResponse> = async (input, ctx, deps) => {
  const { entry, alias } = await resolveKey(deps, ctx, input.KeyId as string, "any");
  authorizeKms(deps, ctx, { action: "kms:DescribeKey", entry, requestAlias: alias });
  return { KeyMetadata: keyMetadata(entry) };
};
