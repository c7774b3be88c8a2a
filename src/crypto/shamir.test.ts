import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newRootKey } from "./root-key.js";
import { ShareFormatError, checkShareCounts, combineShares, parseShare, splitRootKey } from "./shamir.js";

describe("Shamir shares of the root key", () => {
  it("any threshold of the shares rebuild the key; fewer or a wrong one give another key", async () => {
    const key = newRootKey();
    const texts = await splitRootKey(key, 5, 3);
    assert.equal(texts.length, 5);
    const shares = texts.map(parseShare);
    for (const s of shares) assert.equal(s.rootKeyId, key.id);
    assert.equal(new Set(shares.map((s) => s.index)).size, 5);
    for (const pick of [[0, 1, 2], [4, 2, 0], [1, 3, 4], [0, 1, 2, 3, 4]]) {
      const rebuilt = await combineShares(pick.map((i) => (shares[i] as { bytes: Buffer }).bytes));
      assert.deepEqual(rebuilt.material, key.material);
      assert.equal(rebuilt.id, key.id);
    }
    assert.notDeepEqual((await combineShares([shares[0]!.bytes, shares[1]!.bytes])).material, key.material);
    const wrong = Buffer.from(shares[2]!.bytes);
    wrong[0] = (wrong[0] as number) ^ 1;
    assert.notDeepEqual((await combineShares([shares[0]!.bytes, shares[1]!.bytes, wrong])).material, key.material);
  });

  it("share text is checked before any arithmetic", () => {
    assert.throws(() => parseShare("nonsense"), ShareFormatError);
    assert.throws(() => parseShare("0123456789abcdef-AAAA"), ShareFormatError);
    assert.equal(checkShareCounts(5, 3), undefined);
    assert.match(checkShareCounts(2, 3) ?? "", /at least --threshold/);
    assert.match(checkShareCounts(3, 1) ?? "", /at least 2/);
    assert.match(checkShareCounts(256, 2) ?? "", /at most 255/);
  });
});
