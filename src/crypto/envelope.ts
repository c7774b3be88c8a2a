// Envelope encryption of one secret version. A fresh 256-bit data key per version encrypts the
// value; the data key is wrapped by the KMS key. Both layers bind the secret's ARN and the
// version id as associated data, so a sealed value moved to another secret or version fails.
//
// Layout: format(1) | wrapped data key length (2, BE) | wrapped data key | aead(kind(1) | value)
import { randomBytes } from "node:crypto";
import { AuthenticationFailed, openAead, sealAead } from "./aead.js";
import type { DataKeyCache } from "./data-key-cache.js";

const FORMAT = 1;
const KIND_STRING = 0x53; // 'S'
const KIND_BINARY = 0x42; // 'B'

export type PlainValue = { kind: "string"; text: string } | { kind: "binary"; bytes: Buffer };

const dataKeyAad = (arn: string, versionId: string) => Buffer.from(`coffer:dek:${arn}:${versionId}`);
const valueAad = (arn: string, versionId: string) => Buffer.from(`coffer:value:${arn}:${versionId}`);

export function sealValue(kmsMaterial: Buffer, arn: string, versionId: string, value: PlainValue): Buffer {
  const dataKey = randomBytes(32);
  try {
    const wrappedKey = sealAead(kmsMaterial, dataKey, dataKeyAad(arn, versionId));
    const body =
      value.kind === "string"
        ? Buffer.concat([Buffer.from([KIND_STRING]), Buffer.from(value.text, "utf8")])
        : Buffer.concat([Buffer.from([KIND_BINARY]), value.bytes]);
    const header = Buffer.alloc(3);
    header[0] = FORMAT;
    header.writeUInt16BE(wrappedKey.length, 1);
    const sealed = Buffer.concat([header, wrappedKey, sealAead(dataKey, body, valueAad(arn, versionId))]);
    body.fill(0);
    return sealed;
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Throws AuthenticationFailed for anything that does not authenticate; never returns wrong data.
 * With a cache, an unwrapped data key is reused for later reads of the same version; the value
 * itself is decrypted and authenticated on every read.
 */
export function openValue(kmsMaterial: Buffer, arn: string, versionId: string, sealed: Buffer, cache?: DataKeyCache): PlainValue {
  if (sealed.length < 3 || sealed[0] !== FORMAT) throw new AuthenticationFailed();
  const keyLength = sealed.readUInt16BE(1);
  if (sealed.length < 3 + keyLength) throw new AuthenticationFailed();
  const wrappedKey = sealed.subarray(3, 3 + keyLength);
  const now = cache ? Date.now() : 0;
  const cached = cache?.get(sealed, now);
  const dataKey = cached ?? openAead(kmsMaterial, wrappedKey, dataKeyAad(arn, versionId));
  try {
    const body = openAead(dataKey, sealed.subarray(3 + keyLength), valueAad(arn, versionId));
    // Only a key that has just opened this version's value goes into the cache.
    if (!cached && cache) cache.set(sealed, dataKey, now);
    if (body[0] === KIND_STRING) return { kind: "string", text: body.toString("utf8", 1) };
    if (body[0] === KIND_BINARY) return { kind: "binary", bytes: Buffer.from(body.subarray(1)) };
    throw new AuthenticationFailed();
  } finally {
    if (!cached) dataKey.fill(0);
  }
}

/** Byte-exact equality of two values of the same kind (idempotent retries of a write). */
export function sameValue(a: PlainValue, b: PlainValue): boolean {
  if (a.kind === "string" && b.kind === "string") return a.text === b.text;
  if (a.kind === "binary" && b.kind === "binary") return a.bytes.equals(b.bytes);
  return false;
}
