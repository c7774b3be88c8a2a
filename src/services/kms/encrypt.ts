// Encrypt (security spec §5.4): up to 4096 bytes under the key's newest material, bound to the
// encryption context; the response names the key by ARN.
import type { EncryptRequest, EncryptResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { checkCryptoUse, checkDryRun } from "./crypto-checks.js";
import { resolveKey } from "./key-ids.js";
import { encryptUnder } from "./kms-crypto.js";

export const Encrypt: Operation<EncryptRequest, EncryptResponse> = async (input, ctx, deps) => {
  const key = await resolveKey(deps, ctx, input.KeyId as string, "any");
  checkCryptoUse(deps, ctx, key, "kms:Encrypt", "Encrypt", input.EncryptionContext, input.EncryptionAlgorithm);
  checkDryRun(input.DryRun);
  return {
    CiphertextBlob: encryptUnder(key.entry, Buffer.from(input.Plaintext as Uint8Array), input.EncryptionContext),
    KeyId: key.entry.record.arn,
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  };
};
