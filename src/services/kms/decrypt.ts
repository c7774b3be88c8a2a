// Decrypt (security spec §5.4, §5.9): with the key and material the blob names; a wrong or
// missing encryption context, or any altered byte, is InvalidCiphertextException.
import type { DecryptRequest, DecryptResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { checkDryRun } from "./crypto-checks.js";
import { openBlob } from "./decrypt-blob.js";

export const Decrypt: Operation<DecryptRequest, DecryptResponse> = async (input, ctx, deps) => {
  const opened = await openBlob(
    deps,
    ctx,
    input.CiphertextBlob,
    input.KeyId,
    input.EncryptionContext,
    "kms:Decrypt",
    "Decrypt",
    input.EncryptionAlgorithm,
  );
  checkDryRun(input.DryRun);
  return {
    KeyId: opened.entry.record.arn,
    Plaintext: opened.plaintext,
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    KeyMaterialId: opened.materialId,
  };
};
