import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AuthenticationFailed } from "./aead.js";
import { newRootKey } from "./root-key.js";
import { RootRing, SealedError, UnknownRootKeyError, rootKeyIdOf, rootWrapPrefix } from "./root-ring.js";

describe("the root ring", () => {
  it("wraps under the current key, opens blobs of every held key, and names the key in each blob", () => {
    const ring = new RootRing();
    const first = newRootKey();
    const second = newRootKey();
    ring.add(first, true);
    const a = ring.wrap(Buffer.from("a"), "aad");
    assert.equal(rootKeyIdOf(a), first.id);
    assert.deepEqual(a.subarray(0, 17), rootWrapPrefix(first.id));
    ring.add(second, true);
    const b = ring.wrap(Buffer.from("b"), "aad");
    assert.equal(rootKeyIdOf(b), second.id);
    assert.equal(ring.unwrap(a, "aad").toString(), "a");
    assert.equal(ring.unwrap(b, "aad").toString(), "b");
    assert.equal(rootKeyIdOf(ring.rewrap(a, "aad")), second.id);
    assert.throws(() => ring.unwrap(a, "other aad"), AuthenticationFailed);
    ring.remove(first.id);
    assert.throws(() => ring.unwrap(a, "aad"), UnknownRootKeyError);
    ring.remove(second.id); // the current key is never removed
    assert.equal(ring.unwrap(b, "aad").toString(), "b");
  });

  it("sealed: nothing wraps or opens, and the key bytes are zeroed", () => {
    const ring = new RootRing();
    assert.equal(ring.sealed, true);
    assert.throws(() => ring.wrap(Buffer.from("x"), "aad"), SealedError);
    const key = newRootKey();
    ring.add(key, true);
    const blob = ring.wrap(Buffer.from("x"), "aad");
    const held = ring.key(key.id);
    ring.wipe();
    assert.equal(ring.sealed, true);
    assert.ok(held?.material.every((b) => b === 0));
    assert.throws(() => ring.unwrap(blob, "aad"), SealedError);
    // The caller's copy of the key is its own.
    assert.ok(key.material.some((b) => b !== 0));
  });
});
