// KMS ciphertext blobs (security spec §5.9): our own documented, versioned format. Like AWS's, the
// clear header names the KMS key and the key material that encrypted the blob, so Decrypt needs
// no KeyId and a rotated key still opens blobs made under its older material; the encryption
// context is authenticated but not stored.
//
//   byte  0       format version (0x01)
//   bytes 1..16   key id (the key's UUID, 16 raw bytes)
//   bytes 17..48  key-material id (32 raw bytes)
//   bytes 49..60  96-bit random IV
//   bytes 61..    AES-256-GCM ciphertext || 16-byte tag
//   AAD = bytes 0..60 || canonical(encryption context)
//   canonical(ctx) = for each key in code-point order: len32(key) || key || len32(value) || value (UTF-8)
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AuthenticationFailed } from "./aead.js";

const FORMAT = 1;
const KEY_ID_END = 17;
const MATERIAL_END = 49;
const HEADER_BYTES = 61;
const TAG_BYTES = 16;

export type EncryptionContext = Readonly<Record<string, string>>;

export interface KmsCiphertextHeader {
  /** The KMS key id (UUID form). */
  keyId: string;
  /** 64 lowercase hex characters. */
  materialId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MATERIAL_ID = /^[0-9a-f]{64}$/;

function uuidToBytes(keyId: string): Buffer {
  if (!UUID.test(keyId)) throw new Error("KMS key ids in ciphertext must be UUIDs");
  return Buffer.from(keyId.replace(/-/g, ""), "hex");
}

function bytesToUuid(bytes: Buffer): string {
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Code-point order of keys: JavaScript's default sort orders UTF-16 units, which differs above U+FFFF. */
function codePointCompare(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = (ca[i] as string).codePointAt(0) as number;
    const y = (cb[i] as string).codePointAt(0) as number;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

export function canonicalContext(context: EncryptionContext | undefined): Buffer {
  if (context === undefined) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const key of Object.keys(context).sort(codePointCompare)) {
    for (const text of [key, context[key] as string]) {
      const bytes = Buffer.from(text, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

export function encryptKmsCiphertext(
  material: Buffer,
  header: KmsCiphertextHeader,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
): Buffer {
  if (!MATERIAL_ID.test(header.materialId)) throw new Error("key-material ids are 64 hex characters");
  const head = Buffer.concat([Buffer.from([FORMAT]), uuidToBytes(header.keyId), Buffer.from(header.materialId, "hex"), randomBytes(12)]);
  const cipher = createCipheriv("aes-256-gcm", material, head.subarray(MATERIAL_END, HEADER_BYTES));
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  return Buffer.concat([head, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The key and material a blob names, or undefined when it is not one of our blobs at all. */
export function readKmsCiphertextHeader(blob: Buffer): KmsCiphertextHeader | undefined {
  if (blob.length < HEADER_BYTES + TAG_BYTES || blob[0] !== FORMAT) return undefined;
  return {
    keyId: bytesToUuid(blob.subarray(1, KEY_ID_END)),
    materialId: blob.toString("hex", KEY_ID_END, MATERIAL_END),
  };
}

/** Throws AuthenticationFailed unless the blob, its header and the context all authenticate. */
export function decryptKmsCiphertext(material: Buffer, blob: Buffer, context: EncryptionContext | undefined): Buffer {
  if (blob.length < HEADER_BYTES + TAG_BYTES || blob[0] !== FORMAT) throw new AuthenticationFailed();
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, blob.subarray(MATERIAL_END, HEADER_BYTES));
    decipher.setAAD(Buffer.concat([blob.subarray(0, HEADER_BYTES), canonicalContext(context)]));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new AuthenticationFailed();
  }
}
