// Opening a ciphertext for Decrypt and ReEncrypt: the blob names its key, so KeyId is optional;
// when given it must name that same key (IncorrectKeyException). A blob whose key does not exist
// here is refused the way AWS refuses it, as a permission failure on "the resource associated
// with this ciphertext"; a blob that does not authenticate (tampered, wrong encryption context)
// is InvalidCiphertextException with no message.
import { AccessDeniedException, ValidationException } from "../../domain/errors.js";
import type { KmsKeyEntry } from "../../crypto/keyring.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { checkAlgorithm } from "./crypto-checks.js";
import { IncorrectKeyException, kmsMessages } from "./errors.js";
import { parseKeyId, resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { assertUsableForCrypto } from "./key-state.js";
import { decryptWith, headerOf, keyOfCiphertext } from "./kms-crypto.js";

export const CIPHERTEXT_RESOURCE = "the resource associated with this ciphertext";

export interface OpenedBlob {
  entry: KmsKeyEntry;
  plaintext: Buffer;
  materialId: string;
}

export async function openBlob(
  deps: ServiceDeps,
  ctx: RequestContext,
  ciphertextBlob: Uint8Array | undefined,
  keyIdParam: string | undefined,
  encryptionContext: Readonly<Record<string, string>> | undefined,
  action: string,
  operation: string,
  algorithm: string | undefined,
): Promise<OpenedBlob> {
  // The model leaves CiphertextBlob optional (other kinds of request do without it); for these
  // two it is required, and refused in the form of the model's own checks.
  if (ciphertextBlob === undefined) {
    throw new ValidationException("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  }
  const blob = Buffer.from(ciphertextBlob);
  const header = headerOf(blob);
  let accountId = ctx.caller.accountId;
  let named: KmsKeyEntry | undefined;
  if (keyIdParam !== undefined) {
    const parsed = parseKeyId(keyIdParam, ctx, "any");
    accountId = parsed.accountId;
    named = (await resolveKey(deps, ctx, keyIdParam, "any")).entry;
  }
  const entry = await keyOfCiphertext(deps, ctx, header, accountId);
  if (!entry) {
    throw new AccessDeniedException(
      `User: ${ctx.caller.principalArn} is not authorized to perform: ${action} on ${CIPHERTEXT_RESOURCE} because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access`,
    );
  }
  if (named && named.record.arn !== entry.record.arn) throw new IncorrectKeyException(kmsMessages.incorrectKey);
  authorizeKms(deps, ctx, { action, entry, encryptionContext, resourceShown: CIPHERTEXT_RESOURCE });
  assertUsableForCrypto(entry.record);
  checkAlgorithm(entry.record.arn, operation, algorithm);
  const plaintext = await decryptWith(deps, entry, header, blob, encryptionContext);
  return { entry, plaintext, materialId: header.materialId };
}
