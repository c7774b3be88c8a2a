// GenerateDataKeyWithoutPlaintext (security spec §5.4): as GenerateDataKey, keeping the plaintext back.
import type { GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { checkCryptoUse, checkDryRun } from "./crypto-checks.js";
import { dataKeyBytes } from "./data-key-size.js";
import { resolveKey } from "./key-ids.js";
import { generateDataKey } from "./kms-crypto.js";

export const GenerateDataKeyWithoutPlaintext: Operation<GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse> = async (
  input,
  ctx,
  deps,
) => {
  const bytes = dataKeyBytes(input.KeySpec, input.NumberOfBytes);
  const key = await resolveKey(deps, ctx, input.KeyId as string, "any");
  checkCryptoUse(deps, ctx, key, "kms:GenerateDataKeyWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", input.EncryptionContext, undefined);
  checkDryRun(input.DryRun);
  const { plaintext, blob } = generateDataKey(key.entry, bytes, input.EncryptionContext);
  plaintext.fill(0);
  return { CiphertextBlob: blob, KeyId: key.entry.record.arn, KeyMaterialId: key.entry.currentMaterialId };
};
