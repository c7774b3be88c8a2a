// GenerateDataKey (security spec §5.4): a fresh data key in plaintext and encrypted under the
// key's newest material, bound to the encryption context.
import type { GenerateDataKeyRequest, GenerateDataKeyResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { checkCryptoUse, checkDryRun } from "./crypto-checks.js";
import { dataKeyBytes } from "./data-key-size.js";
import { resolveKey } from "./key-ids.js";
import { generateDataKey } from "./kms-crypto.js";

export const GenerateDataKey: Operation<GenerateDataKeyRequest, GenerateDataKeyResponse> = async (input, ctx, deps) => {
  const bytes = dataKeyBytes(input.KeySpec, input.NumberOfBytes);
  const key = await resolveKey(deps, ctx, input.KeyId as string, "any");
  checkCryptoUse(deps, ctx, key, "kms:GenerateDataKey", "GenerateDataKey", input.EncryptionContext, undefined);
  checkDryRun(input.DryRun);
  const { plaintext, blob } = generateDataKey(key.entry, bytes, input.EncryptionContext);
  return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.entry.record.arn, KeyMaterialId: key.entry.currentMaterialId };
};
