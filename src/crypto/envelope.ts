// Envelope encryption of one secret version. A fresh 256-bit data key per version encrypts the
// value; the data key is protected by the secret's KMS key. The value binds the secret's ARN and
// the version id as associated data, so a sealed value moved to another secret or version fails.
//
// Layout: format(1) | protected data key length (2, BE) | protected data key | aead(kind(1) | value)
//
// Format 2 (written today): the protected data key is a KMS ciphertext blob (kms-ciphertext.ts)
// made under the secret's KMS key with Secrets Manager's encryption context
// {"SecretARN": <arn>, "SecretVersionId": <version id>} (security spec §5.7), so it names the key
// and key material that opens it. Format 1 (read only): the data key sealed directly with the
// AWS-managed key's first material, bound to `coffer:dek:<arn>:<version id>`.
import { AuthenticationFailed, openAead, sealAead } from "./aead.js";
import type { EncryptionContext } from "./kms-ciphertext.js";

const FORMAT_LEGACY = 1;
const FORMAT_KMS = 2;
const KIND_STRING = 0x53; // 'S'
const KIND_BINARY = 0x42; // 'B'

export type PlainValue = { kind: "string"; text: string } | { kind: "binary"; bytes: Buffer };

export interface EnvelopeParts {
  /** 1: data key sealed with the managed key's first material; 2: data key is a KMS ciphertext blob. */
  format: 1 | 2;
  protectedKey: Buffer;
  body: Buffer;
}

const legacyDataKeyAad = (arn: string, versionId: string) => Buffer.from(`coffer:dek:${arn}:${versionId}`);
const valueAad = (arn: string, versionId: string) => Buffer.from(`coffer:value:${arn}:${versionId}`);

/** The encryption context Secrets Manager binds every data key to (security spec §5.7). */
export function secretEncryptionContext(arn: string, versionId: string): EncryptionContext {
  return { SecretARN: arn, SecretVersionId: versionId };
}

export function sealEnvelope(dataKeyBlob: Buffer, dataKey: Buffer, arn: string, versionId: string, value: PlainValue): Buffer {
  const body =
    value.kind === "string"
      ? Buffer.concat([Buffer.from([KIND_STRING]), Buffer.from(value.text, "utf8")])
      : Buffer.concat([Buffer.from([KIND_BINARY]), value.bytes]);
  try {
    const header = Buffer.alloc(3);
    header[0] = FORMAT_KMS;
    header.writeUInt16BE(dataKeyBlob.length, 1);
    return Buffer.concat([header, dataKeyBlob, sealAead(dataKey, body, valueAad(arn, versionId))]);
  } finally {
    body.fill(0);
  }
}

/** Splits a sealed value; throws AuthenticationFailed for anything malformed. */
export function readEnvelope(sealed: Buffer): EnvelopeParts {
  const format = sealed[0];
  if (sealed.length < 3 || (format !== FORMAT_LEGACY && format !== FORMAT_KMS)) throw new AuthenticationFailed();
  const keyLength = sealed.readUInt16BE(1);
  if (sealed.length < 3 + keyLength) throw new AuthenticationFailed();
  return { format, protectedKey: sealed.subarray(3, 3 + keyLength), body: sealed.subarray(3 + keyLength) };
}

/** Format 1 only: opens the data key with the AWS-managed key's first material. */
export function openLegacyDataKey(material: Buffer, protectedKey: Buffer, arn: string, versionId: string): Buffer {
  return openAead(material, protectedKey, legacyDataKeyAad(arn, versionId));
}

/** Decrypts and authenticates the value; throws AuthenticationFailed, never returns wrong data. */
export function openEnvelopeBody(dataKey: Buffer, body: Buffer, arn: string, versionId: string): PlainValue {
  const plain = openAead(dataKey, body, valueAad(arn, versionId));
  try {
    if (plain[0] === KIND_STRING) return { kind: "string", text: plain.toString("utf8", 1) };
    if (plain[0] === KIND_BINARY) return { kind: "binary", bytes: Buffer.from(plain.subarray(1)) };
    throw new AuthenticationFailed();
  } finally {
    plain.fill(0);
  }
}

/** Byte-exact equality of two values of the same kind (idempotent retries of a write). */
export function sameValue(a: PlainValue, b: PlainValue): boolean {
  if (a.kind === "string" && b.kind === "string") return a.text === b.text;
  if (a.kind === "binary" && b.kind === "binary") return a.bytes.equals(b.bytes);
  return false;
}
