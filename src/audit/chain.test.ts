import { test } from "node:test";
import assert from "node:assert/strict";
import {
  canonicalJson,
  chainRecord,
  type ChainedRecord,
  GENESIS_HASH,
  linkedHash,
  recordHash,
  verifyChain,
} from "./chain.js";
import { buildServiceEvent, type CloudTrailRecord } from "./record.js";

const SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf";

function event(n: number): CloudTrailRecord {
  return buildServiceEvent({
    eventName: n % 2 === 0 ? "RotationStarted" : "RotationSucceeded",
    accountId: "111122223333",
    region: "us-east-1",
    time: Date.UTC(2024, 0, 15, 12, n),
    resourceArn: SECRET,
  });
}

function makeChain(length: number): ChainedRecord[] {
  const out: ChainedRecord[] = [];
  for (let n = 1; n <= length; n++) out.push(chainRecord(out.at(-1), event(n)));
  return out;
}

const clone = (records: readonly ChainedRecord[]): ChainedRecord[] => structuredClone([...records]);

test("chainRecord numbers from 1 after the genesis hash and links each record to the one before", () => {
  const chain = makeChain(3);
  assert.deepEqual(
    chain.map((r) => r.seq),
    [1, 2, 3],
  );
  assert.equal(chain[0]?.prevHash, GENESIS_HASH);
  assert.equal(chain[1]?.prevHash, chain[0]?.hash);
  assert.equal(chain[2]?.prevHash, chain[1]?.hash);
  for (const r of chain) {
    assert.match(r.hash, /^[0-9a-f]{64}$/);
    assert.equal(r.hash, recordHash(r.seq, r.prevHash, r.record));
  }
});

test("canonicalJson sorts keys at every level and has no whitespace", () => {
  assert.equal(canonicalJson({ b: 1, a: [1, { d: "x", c: null }], e: undefined }), '{"a":[1,{"c":null,"d":"x"}],"b":1}');
  assert.equal(canonicalJson("é\n"), '"é\\n"');
  assert.equal(canonicalJson({ z: { y: { x: true } } }), '{"z":{"y":{"x":true}}}');
});

test("the hash does not depend on key order, so a record read back from JSON still verifies", () => {
  const chain = makeChain(2);
  const first = chain[0] as ChainedRecord;
  const reversed = Object.fromEntries(Object.entries(first.record).reverse()) as unknown as CloudTrailRecord;
  assert.equal(recordHash(first.seq, first.prevHash, reversed), first.hash);
  assert.deepEqual(verifyChain(JSON.parse(JSON.stringify(chain)) as ChainedRecord[]), { ok: true, count: 2 });
});

test("an untouched chain verifies, from an array or any iterable; an empty range verifies", () => {
  const chain = makeChain(10);
  assert.deepEqual(verifyChain(chain), { ok: true, count: 10 });
  assert.deepEqual(verifyChain(new Set(chain)), { ok: true, count: 10 });
  assert.deepEqual(verifyChain([]), { ok: true, count: 0 });
});

test("an altered record is named by its seq", () => {
  const records = clone(makeChain(10));
  (records[3] as ChainedRecord).record.eventName = "RotationFailed";
  const verdict = verifyChain(records);
  assert.equal(verdict.ok, false);
  if (!verdict.ok) {
    assert.equal(verdict.at, 4);
    assert.equal(verdict.problem, "altered");
  }
});

test("an altered record whose hash was recomputed is named by its seq (its successor no longer links)", () => {
  const records = clone(makeChain(10));
  const target = records[3] as ChainedRecord;
  target.record.errorMessage = "forged";
  target.hash = recordHash(target.seq, target.prevHash, target.record);
  const verdict = verifyChain(records);
  assert.deepEqual(verdict.ok ? verdict : { at: verdict.at, problem: verdict.problem }, { at: 4, problem: "altered" });
});

test("an altered last record is caught by a digest's `through` link", () => {
  const chain = makeChain(10);
  const records = clone(chain);
  const last = records[9] as ChainedRecord;
  last.record.awsRegion = "eu-west-1";
  last.hash = recordHash(last.seq, last.prevHash, last.record);
  assert.deepEqual(verifyChain(records), { ok: true, count: 10 }, "undetectable by the chain alone");
  const verdict = verifyChain(records, { through: { seq: 10, hash: (chain[9] as ChainedRecord).hash } });
  assert.deepEqual(verdict.ok ? verdict : { at: verdict.at, problem: verdict.problem }, { at: 10, problem: "altered" });
});

test("removed records: the first missing seq is named, for one record, a run, and a cut-off tail", () => {
  const chain = makeChain(10);
  const one = verifyChain(chain.filter((r) => r.seq !== 4));
  assert.deepEqual(one.ok ? one : { at: one.at, problem: one.problem }, { at: 4, problem: "removed" });

  const run = verifyChain(chain.filter((r) => r.seq < 4 || r.seq > 6));
  assert.equal(run.ok, false);
  if (!run.ok) {
    assert.equal(run.at, 4);
    assert.equal(run.problem, "removed");
    assert.match(run.detail, /4\.\.6/);
  }

  const first = verifyChain(chain.slice(1));
  assert.deepEqual(first.ok ? first : { at: first.at, problem: first.problem }, { at: 1, problem: "removed" });

  const tail = verifyChain(chain.slice(0, 8), { through: { seq: 10, hash: (chain[9] as ChainedRecord).hash } });
  assert.deepEqual(tail.ok ? tail : { at: tail.at, problem: tail.problem }, { at: 9, problem: "removed" });
});

test("reordered records: the record out of place is named", () => {
  const chain = makeChain(10);
  const at = (order: number[]) => {
    const verdict = verifyChain(order.map((seq) => chain[seq - 1] as ChainedRecord));
    return verdict.ok ? verdict : { at: verdict.at, problem: verdict.problem };
  };
  // 6 moved ahead of 4 and 5
  assert.deepEqual(at([1, 2, 3, 6, 4, 5, 7, 8, 9, 10]), { at: 6, problem: "reordered" });
  // 4 moved to the end
  assert.deepEqual(at([1, 2, 3, 5, 6, 7, 8, 9, 10, 4]), { at: 4, problem: "reordered" });
  // adjacent swap
  assert.deepEqual(at([1, 2, 3, 5, 4, 6, 7, 8, 9, 10]), { at: 5, problem: "reordered" });
  // first two swapped
  assert.deepEqual(at([2, 1, 3]), { at: 2, problem: "reordered" });
});

test("inserted records: a repeated record, a forged record ahead of the genuine one, one from before the range", () => {
  const chain = makeChain(6);
  const duplicate = [...chain.slice(0, 3), chain[2] as ChainedRecord, ...chain.slice(3)];
  const dup = verifyChain(duplicate);
  assert.deepEqual(dup.ok ? dup : { at: dup.at, problem: dup.problem }, { at: 3, problem: "inserted" });

  // A self-consistent forgery claiming seq 4, placed before the real record 4.
  const forged = chainRecord({ seq: 3, hash: "f".repeat(64) }, event(99));
  const withForgery = [...chain.slice(0, 3), forged, ...chain.slice(3)];
  const ins = verifyChain(withForgery);
  assert.deepEqual(ins.ok ? ins : { at: ins.at, problem: ins.problem }, { at: 4, problem: "inserted" });

  const early = verifyChain(chain.slice(2), { startAfter: { seq: 3, hash: (chain[2] as ChainedRecord).hash } });
  assert.deepEqual(early.ok ? early : { at: early.at, problem: early.problem }, { at: 3, problem: "inserted" });
});

test("a range starting after a pruned prefix verifies from the last pruned record's link", () => {
  const chain = makeChain(10);
  const kept = chain.slice(5);
  const anchor = { seq: 5, hash: (chain[4] as ChainedRecord).hash };
  assert.deepEqual(verifyChain(kept, { startAfter: anchor }), { ok: true, count: 5 });
  assert.deepEqual(
    verifyChain(kept, { startAfter: anchor, through: { seq: 10, hash: (chain[9] as ChainedRecord).hash } }),
    { ok: true, count: 5 },
  );

  const wrongAnchor = verifyChain(kept, { startAfter: { seq: 5, hash: "0".repeat(64) } });
  assert.deepEqual(wrongAnchor.ok ? wrongAnchor : { at: wrongAnchor.at, problem: wrongAnchor.problem }, {
    at: 6,
    problem: "altered",
  });

  const tampered = clone(kept);
  (tampered[2] as ChainedRecord).record.eventID = "00000000-0000-4000-8000-000000000000";
  const verdict = verifyChain(tampered, { startAfter: anchor });
  assert.deepEqual(verdict.ok ? verdict : { at: verdict.at, problem: verdict.problem }, { at: 8, problem: "altered" });
});

test("entries that are not chained records are reported rather than thrown on", () => {
  const chain = makeChain(3);
  const broken = [chain[0], { seq: "2", prevHash: 1, hash: null, record: null }, chain[2]] as unknown as ChainedRecord[];
  const verdict = verifyChain(broken);
  assert.deepEqual(verdict.ok ? verdict : { at: verdict.at, problem: verdict.problem }, { at: 2, problem: "altered" });
});

test("linkedHash over a record's canonical JSON equals recordHash", () => {
  const record = event(7);
  const prev = "ab".repeat(32);
  assert.equal(linkedHash(42, prev, canonicalJson(record)), recordHash(42, prev, record));
  assert.equal(linkedHash(1, GENESIS_HASH, canonicalJson(record)), chainRecord(undefined, record).hash);
});
