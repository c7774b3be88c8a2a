import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataKeyCache } from "./data-key-cache.js";

describe("the data-key cache", () => {
  it("is keyed by the sealed buffer object, expires, and stays bounded, zeroing what it drops", () => {
    const cache = new DataKeyCache(1_000, 2);
    const a = Buffer.from("sealed-a");
    const b = Buffer.from("sealed-b");
    const c = Buffer.from("sealed-c");
    cache.set(a, Buffer.alloc(32, 1), 0);
    assert.deepEqual(cache.get(a, 10), Buffer.alloc(32, 1));
    assert.equal(cache.get(Buffer.from("sealed-a"), 10), undefined); // same bytes, another object
    const held = cache.get(a, 10) as Buffer;
    assert.equal(cache.get(a, 1_000), undefined);
    assert.ok(held.every((x) => x === 0));
    cache.set(a, Buffer.alloc(32, 1), 0);
    cache.set(b, Buffer.alloc(32, 2), 0);
    const first = cache.get(a, 1) as Buffer;
    cache.set(c, Buffer.alloc(32, 3), 0);
    assert.equal(cache.size, 2);
    assert.equal(cache.get(a, 1), undefined);
    assert.ok(first.every((x) => x === 0));
    const kept = cache.get(b, 1) as Buffer;
    cache.clear();
    assert.equal(cache.size, 0);
    assert.ok(kept.every((x) => x === 0));
  });

  it("keeps its own copy of a key", () => {
    const cache = new DataKeyCache();
    const key = Buffer.alloc(32, 7);
    const sealed = Buffer.from("s");
    cache.set(sealed, key, 0);
    key.fill(0);
    assert.deepEqual(cache.get(sealed, 1), Buffer.alloc(32, 7));
  });
});
