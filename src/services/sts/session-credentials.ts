// Temporary credentials of STS sessions (security spec §2.7, §4.4): an ASIA… key id, a 40-character
// secret and a session token of 384 random bits.
//
// Nothing stored lets anyone rebuild them. The store keeps a SHA-256 hash of the token (to check
// the token a request presents) and the secret sealed with AES-256-GCM under a key derived from
// the token itself (HKDF-SHA-256, bound to the key id), because verifying a signature needs the
// secret back. So a copy of the database yields neither, and sessions do not depend on the root
// key (root-key rotation has nothing of theirs to re-wrap); the price is that the secret can only
// be opened when a request presents its token, which is exactly when it is needed.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

const TOKEN_BYTES = 48;
const INFO = Buffer.from("coffer sts session secret v1");
const FORMAT = 1;

export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64");
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function tokenMatches(token: string, expectedHash: string): boolean {
  const actual = Buffer.from(tokenHash(token), "latin1");
  const expected = Buffer.from(expectedHash, "latin1");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const keyFor = (token: string, accessKeyId: string): Buffer =>
  Buffer.from(hkdfSync("sha256", Buffer.from(token, "utf8"), Buffer.from(accessKeyId, "utf8"), INFO, 32));

/** format(1) ‖ iv(12) ‖ tag(16) ‖ ciphertext */
export function sealSessionSecret(secret: string, token: string, accessKeyId: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(token, accessKeyId), iv);
  cipher.setAAD(Buffer.from(accessKeyId, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
}

/** The secret, or undefined when the token is not the one it was sealed with. */
export function openSessionSecret(sealed: Buffer, token: string, accessKeyId: string): string | undefined {
  if (sealed.length < 29 || sealed[0] !== FORMAT) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(token, accessKeyId), sealed.subarray(1, 13));
    decipher.setAAD(Buffer.from(accessKeyId, "utf8"));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
