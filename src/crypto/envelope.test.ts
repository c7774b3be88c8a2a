import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { AuthenticationFailed, sealAead } from "./aead.js";
import { openEnvelopeBody, openLegacyDataKey, readEnvelope, sealEnvelope, secretEncryptionContext } from "./envelope.js";
import { decryptKmsCiphertext, encryptKmsCiphertext, readKmsCiphertextHeader } from "./kms-ciphertext.js";

const ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf";

describe("the envelope of a secret version", () => {
  it("format 2: the data key is a KMS ciphertext bound to SecretARN and SecretVersionId", () => {
    const material = randomBytes(32);
    const header = { keyId: randomUUID(), materialId: randomBytes(32).toString("hex") };
    const dataKey = randomBytes(32);
    const context = secretEncryptionContext(ARN, "v1");
    assert.deepEqual(context, { SecretARN: ARN, SecretVersionId: "v1" });
    const blob = encryptKmsCiphertext(material, header, dataKey, context);
    const sealed = sealEnvelope(blob, dataKey, ARN, "v1", { kind: "string", text: "pa55" });
    const parts = readEnvelope(sealed);
    assert.equal(parts.format, 2);
    assert.deepEqual(readKmsCiphertextHeader(parts.protectedKey), header);
    const opened = decryptKmsCiphertext(material, parts.protectedKey, context);
    assert.deepEqual(openEnvelopeBody(opened, parts.body, ARN, "v1"), { kind: "string", text: "pa55" });
    // Moved to another version or secret, it does not open.
    assert.throws(() => openEnvelopeBody(opened, parts.body, ARN, "v2"), AuthenticationFailed);
    assert.throws(() => decryptKmsCiphertext(material, parts.protectedKey, secretEncryptionContext(ARN, "v2")), AuthenticationFailed);
    const binary = sealEnvelope(blob, dataKey, ARN, "v1", { kind: "binary", bytes: Buffer.from([0, 255]) });
    assert.deepEqual(openEnvelopeBody(dataKey, readEnvelope(binary).body, ARN, "v1"), { kind: "binary", bytes: Buffer.from([0, 255]) });
  });

  it("format 1, written before data keys were KMS ciphertexts, still opens", () => {
    const material = randomBytes(32);
    const dataKey = randomBytes(32);
    const wrapped = sealAead(material, dataKey, Buffer.from(`coffer:dek:${ARN}:v1`));
    const body = sealAead(dataKey, Buffer.concat([Buffer.from("S"), Buffer.from("legacy")]), Buffer.from(`coffer:value:${ARN}:v1`));
    const header = Buffer.alloc(3);
    header[0] = 1;
    header.writeUInt16BE(wrapped.length, 1);
    const parts = readEnvelope(Buffer.concat([header, wrapped, body]));
    assert.equal(parts.format, 1);
    const key = openLegacyDataKey(material, parts.protectedKey, ARN, "v1");
    assert.deepEqual(openEnvelopeBody(key, parts.body, ARN, "v1"), { kind: "string", text: "legacy" });
  });

  it("anything malformed is AuthenticationFailed", () => {
    for (const bad of [Buffer.alloc(0), Buffer.from([3, 0, 0]), Buffer.from([2, 0, 9, 1])]) assert.throws(() => readEnvelope(bad), AuthenticationFailed);
  });
});
