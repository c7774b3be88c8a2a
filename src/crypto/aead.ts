// AES-256-GCM with a random 96-bit IV. Layout: iv(12) | tag(16) | ciphertext. The associated
// data binds a ciphertext to where it lives, so a blob copied to another row fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a blob does not authenticate: tampered, truncated, wrong key or wrong place. */
export class AuthenticationFailed extends Error {
  constructor() {
    super("ciphertext failed authentication");
    this.name = "AuthenticationFailed";
  }
}

export function sealAead(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openAead(key: Buffer, blob: Buffer, aad: Buffer): Buffer {
  if (blob.length < IV_BYTES + TAG_BYTES) throw new AuthenticationFailed();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, blob.subarray(0, IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new AuthenticationFailed();
  }
}
