// ReEncrypt (security spec §5.4): decrypts under the source key (kms:ReEncryptFrom) and encrypts
// under the destination key (kms:ReEncryptTo) without the plaintext leaving KMS.
import type { ReEncryptRequest, ReEncryptResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { checkCryptoUse, checkDryRun } from "./crypto-checks.js";
import { openBlob } from "./decrypt-blob.js";
import { resolveKey } from "./key-ids.js";
import { encryptUnder } from "./kms-crypto.js";

export const ReEncrypt: Operation<ReEncryptRequest, ReEncryptResponse> = async (input, ctx, deps) => {
  const source = await openBlob(
    deps,
    ctx,
    input.CiphertextBlob,
    input.SourceKeyId,
    input.SourceEncryptionContext,
    "kms:ReEncryptFrom",
    "ReEncrypt",
    input.SourceEncryptionAlgorithm,
  );
  try {
    const destination = await resolveKey(deps, ctx, input.DestinationKeyId as string, "any");
    checkCryptoUse(deps, ctx, destination, "kms:ReEncryptTo", "ReEncrypt", input.DestinationEncryptionContext, input.DestinationEncryptionAlgorithm);
    checkDryRun(input.DryRun);
    return {
      CiphertextBlob: encryptUnder(destination.entry, source.plaintext, input.DestinationEncryptionContext),
      SourceKeyId: source.entry.record.arn,
      KeyId: destination.entry.record.arn,
      SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      SourceKeyMaterialId: source.materialId,
      DestinationKeyMaterialId: destination.entry.currentMaterialId,
    };
  } finally {
    source.plaintext.fill(0);
  }
};
