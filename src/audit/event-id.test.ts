import assert from "node:assert/strict";
import { test } from "node:test";
import { timeOrderedEventId } from "./event-id.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("event ids are version 7 UUIDs carrying the time in milliseconds", () => {
  const at = Date.UTC(2026, 10, 29, 1, 2, 3, 456);
  const id = timeOrderedEventId(at);
  assert.match(id, UUID_V7);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
});

test("ids sort by time, and ids of the same millisecond differ", () => {
  const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedEventId(1_700_000_000_000 + Math.floor(i / 10)));
  for (let i = 1; i < ids.length; i++) {
    assert.ok((ids[i - 1] as string).slice(0, 13) <= (ids[i] as string).slice(0, 13));
  }
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, UUID_V7);
});

test("the random part uses every hex digit in every random position", () => {
  const ids = Array.from({ length: 4000 }, () => timeOrderedEventId(0));
  for (const position of [15, 16, 17, 20, 21, 22, 24, 30, 35]) {
    assert.equal(new Set(ids.map((id) => id[position])).size, 16, `position ${position}`);
  }
  assert.deepEqual(new Set(ids.map((id) => id[19])), new Set(["8", "9", "a", "b"]));
});
