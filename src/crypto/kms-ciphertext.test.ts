import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { AuthenticationFailed } from "./aead.js";
import { canonicalContext, decryptKmsCiphertext, encryptKmsCiphertext, readKmsCiphertextHeader } from "./kms-ciphertext.js";

const material = randomBytes(32);
const header = { keyId: randomUUID(), materialId: randomBytes(32).toString("hex") };

describe("KMS ciphertext blobs", () => {
  it("round-trip, name their key and material, and hide the plaintext", () => {
    const blob = encryptKmsCiphertext(material, header, Buffer.from("secret"), { a: "1" });
    assert.equal(blob[0], 1);
    assert.equal(blob.length, 61 + 6 + 16);
    assert.deepEqual(readKmsCiphertextHeader(blob), header);
    assert.equal(blob.includes(Buffer.from("secret")), false);
    assert.equal(decryptKmsCiphertext(material, blob, { a: "1" }).toString(), "secret");
    // A fresh IV every time.
    assert.notDeepEqual(encryptKmsCiphertext(material, header, Buffer.from("secret"), undefined), encryptKmsCiphertext(material, header, Buffer.from("secret"), undefined));
  });

  it("authenticate the encryption context exactly, in any key order", () => {
    const blob = encryptKmsCiphertext(material, header, Buffer.from("x"), { b: "2", a: "1" });
    assert.equal(decryptKmsCiphertext(material, blob, { a: "1", b: "2" }).toString(), "x");
    const wrongs: Array<Record<string, string> | undefined> = [undefined, {}, { a: "1" }, { a: "1", b: "3" }, { a: "1", b: "2", c: "" }, { ab: "12" }];
    for (const wrong of wrongs) {
      assert.throws(() => decryptKmsCiphertext(material, blob, wrong), AuthenticationFailed);
    }
    // No context and an empty context are the same thing.
    const none = encryptKmsCiphertext(material, header, Buffer.from("y"), undefined);
    assert.equal(decryptKmsCiphertext(material, none, {}).toString(), "y");
  });

  it("refuse every flipped byte, a truncated blob and another key's material", () => {
    const blob = encryptKmsCiphertext(material, header, Buffer.from("tamper-proof"), { k: "v" });
    for (let i = 0; i < blob.length; i++) {
      const copy = Buffer.from(blob);
      copy[i] = (copy[i] as number) ^ 0x80;
      assert.throws(() => decryptKmsCiphertext(material, copy, { k: "v" }), AuthenticationFailed, `byte ${i}`);
    }
    assert.throws(() => decryptKmsCiphertext(material, blob.subarray(0, blob.length - 1), { k: "v" }), AuthenticationFailed);
    assert.throws(() => decryptKmsCiphertext(randomBytes(32), blob, { k: "v" }), AuthenticationFailed);
    assert.equal(readKmsCiphertextHeader(Buffer.alloc(10)), undefined);
  });

  it("canonical context: keys by code point, each part length-prefixed (no ambiguity between splits)", () => {
    assert.deepEqual(canonicalContext(undefined), Buffer.alloc(0));
    assert.notDeepEqual(canonicalContext({ ab: "c" }), canonicalContext({ a: "bc" }));
    const astral = canonicalContext({ "\u{1F600}": "1", "\uFFFF": "2" });
    // U+FFFF sorts before U+1F600 by code point (UTF-16 order would put the emoji first).
    assert.equal(astral.subarray(4, 7).toString(), "\uFFFF");
  });
});
