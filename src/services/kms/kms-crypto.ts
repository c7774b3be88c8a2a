// The cryptographic core of KMS, shared by the KMS operations and by Secrets Manager's envelope
// encryption (security spec §5.7: Secrets Manager calls KMS for every version's data key).
// Blobs are in the format of crypto/kms-ciphertext.ts; a key encrypts under its newest material
// and decrypts with whichever material the blob names, so rotation never strands old data.
import { randomBytes } from "node:crypto";
import { AuthenticationFailed } from "../../crypto/aead.js";
import {
  decryptKmsCiphertext,
  encryptKmsCiphertext,
  readKmsCiphertextHeader,
  type EncryptionContext,
  type KmsCiphertextHeader,
} from "../../crypto/kms-ciphertext.js";
import type { KmsKeyEntry } from "../../crypto/keyring.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { InvalidCiphertextException } from "./errors.js";
import { loadKey } from "./key-ids.js";

/** AWS answers InvalidCiphertextException with an empty message (§5.4). */
export const invalidCiphertext = () => new InvalidCiphertextException("");

export function encryptUnder(entry: KmsKeyEntry, plaintext: Buffer, context: EncryptionContext | undefined): Buffer {
  const material = entry.materials.get(entry.currentMaterialId) as Buffer;
  return encryptKmsCiphertext(material, { keyId: entry.record.keyId, materialId: entry.currentMaterialId }, plaintext, context);
}

/** A fresh data key and its ciphertext under the key's newest material. */
export function generateDataKey(entry: KmsKeyEntry, bytes: number, context: EncryptionContext | undefined): { plaintext: Buffer; blob: Buffer } {
  const plaintext = randomBytes(bytes);
  return { plaintext, blob: encryptUnder(entry, plaintext, context) };
}

export function headerOf(blob: Buffer): KmsCiphertextHeader {
  const header = readKmsCiphertextHeader(blob);
  if (!header) throw invalidCiphertext();
  return header;
}

/**
 * The key a ciphertext names, looked up in `accountId` (the caller's, or the account of the key
 * ARN the caller gave); undefined when there is no such key in this region.
 */
export async function keyOfCiphertext(
  deps: ServiceDeps,
  ctx: RequestContext,
  header: KmsCiphertextHeader,
  accountId = ctx.caller.accountId,
): Promise<KmsKeyEntry | undefined> {
  return loadKey(deps, accountId, ctx.region, header.keyId, ctx.now);
}

/** Decrypts with the material the blob names; anything that does not authenticate is InvalidCiphertextException. */
export async function decryptWith(deps: ServiceDeps, entry: KmsKeyEntry, header: KmsCiphertextHeader, blob: Buffer, context: EncryptionContext | undefined): Promise<Buffer> {
  let material = entry.materials.get(header.materialId);
  if (!material) {
    // Rotated in another process since this one read the key.
    material = (await deps.keyring.reloadKey(entry.record))?.materials.get(header.materialId);
    if (!material) throw invalidCiphertext();
  }
  try {
    return decryptKmsCiphertext(material, blob, context);
  } catch (err) {
    if (err instanceof AuthenticationFailed) throw invalidCiphertext();
    throw err;
  }
}
