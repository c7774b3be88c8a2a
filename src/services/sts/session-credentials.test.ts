import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newSessionToken, openSessionSecret, sealSessionSecret, tokenHash, tokenMatches } from "./session-credentials.js";

describe("session credentials", () => {
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  it("tokens carry 384 random bits and are only stored as hashes", () => {
    const token = newSessionToken();
    assert.equal(Buffer.from(token, "base64").length, 48);
    assert.notEqual(newSessionToken(), token);
    assert.match(tokenHash(token), /^[0-9a-f]{64}$/);
    assert.equal(tokenMatches(token, tokenHash(token)), true);
    assert.equal(tokenMatches(`${token}x`, tokenHash(token)), false);
  });

  it("the secret opens only with its token and key id", () => {
    const token = newSessionToken();
    const sealed = sealSessionSecret(secret, token, "ASIAAAAAAAAAAAAAAAAA");
    assert.ok(!sealed.includes(Buffer.from(secret)));
    assert.equal(openSessionSecret(sealed, token, "ASIAAAAAAAAAAAAAAAAA"), secret);
    assert.equal(openSessionSecret(sealed, newSessionToken(), "ASIAAAAAAAAAAAAAAAAA"), undefined);
    assert.equal(openSessionSecret(sealed, token, "ASIABBBBBBBBBBBBBBBB"), undefined);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    assert.equal(openSessionSecret(tampered, token, "ASIAAAAAAAAAAAAAAAAA"), undefined);
    assert.equal(openSessionSecret(Buffer.alloc(3), token, "ASIAAAAAAAAAAAAAAAAA"), undefined);
  });
});
