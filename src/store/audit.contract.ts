// The audit part of the storage contract: every backend runs these through runAuditContract
// (sqlite/audit-ops.test.ts, postgres/audit-ops.test.ts).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AuditChainHead, AuditLookupKey, AuditRecordRow } from "./audit-ops.js";
import { type Store, UniqueViolationError } from "./store.js";

const GENESIS = "0".repeat(64);
const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const REGION = "us-east-1";
const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);

const hashOf = (seq: number) => seq.toString(16).padStart(64, "a");

function row(seq: number, overrides: Partial<AuditRecordRow> = {}): AuditRecordRow {
  return {
    seq,
    prevHash: seq === 1 ? GENESIS : hashOf(seq - 1),
    hash: hashOf(seq),
    eventTime: T0 + seq * 1000,
    accountId: ACCOUNT,
    region: REGION,
    eventId: `event-${seq}`,
    eventName: seq % 2 === 0 ? "PutSecretValue" : "GetSecretValue",
    eventSource: "secretsmanager.amazonaws.com",
    username: seq % 3 === 0 ? "alice" : null,
    accessKeyId: seq % 2 === 0 ? "AKIAEVEN" : "AKIAODD",
    readOnly: seq % 2 === 1,
    resources: [{ type: "AWS::SecretsManager::Secret", name: `arn:secret:s${seq % 4}` }],
    lookupNames: [`s${seq % 4}`],
    record: JSON.stringify({ eventID: `event-${seq}`, seq }),
    ...overrides,
  };
}

export function runAuditContract(name: string, open: () => Promise<Store>, close: (store: Store) => Promise<void>): void {
  describe(`audit store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.migrate();
    });
    after(async () => close(store));

    it("starts with an empty chain at the genesis link", async () => {
      assert.deepEqual(await store.audit.chainHead(), { seq: 0, hash: GENESIS });
      assert.equal(await store.audit.recordBounds(), undefined);
      assert.equal(await store.audit.latestDigest(), undefined);
      assert.deepEqual(await store.audit.readRecords(0, 10), []);
    });

    it("a rolled-back append leaves nothing behind", async () => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.audit.appendRecords([row(1)]);
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.deepEqual(await store.audit.chainHead(), { seq: 0, hash: GENESIS });
      assert.equal(await store.audit.recordBounds(), undefined);
    });

    it("appends records in order and moves the head", async () => {
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.audit.chainHead(), { seq: 0, hash: GENESIS });
        await tx.audit.appendRecords([1, 2, 3, 4, 5].map((seq) => row(seq)));
      });
      await store.transaction((tx) => tx.audit.appendRecords([6, 7, 8, 9, 10, 11, 12].map((seq) => row(seq))));
      assert.deepEqual(await store.audit.chainHead(), { seq: 12, hash: hashOf(12) });
      assert.deepEqual(await store.audit.recordBounds(), { firstSeq: 1, lastSeq: 12 });
      const read = await store.audit.readRecords(0, 100);
      assert.deepEqual(
        read.map((r) => r.seq),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      );
      assert.deepEqual(read[0], { seq: 1, prevHash: GENESIS, hash: hashOf(1), eventTime: T0 + 1000, record: row(1).record });
      assert.deepEqual(
        (await store.audit.readRecords(4, 3)).map((r) => r.seq),
        [5, 6, 7],
      );
      assert.deepEqual(
        (await store.audit.readRecords(4, 100, 6)).map((r) => r.seq),
        [5, 6],
      );
      await store.transaction(async (tx) => tx.audit.appendRecords([]));
      assert.equal((await store.audit.chainHead()).seq, 12);
    });

    it("a seq already stored is refused", async () => {
      await assert.rejects(store.transaction((tx) => tx.audit.appendRecords([row(12)])));
      assert.deepEqual(await store.audit.chainHead(), { seq: 12, hash: hashOf(12) });
    });

    it("looks records up newest first by each attribute, within the account and region", async () => {
      await store.transaction((tx) =>
        tx.audit.appendRecords([
          row(13, { accountId: OTHER, eventName: "GetSecretValue", username: "alice" }),
          row(14, { region: "eu-west-1", eventName: "GetSecretValue", username: "alice" }),
        ]),
      );
      // The same answers whatever part of the records the lookup index holds yet.
      const check = async () => {
        const seqs = async (attribute?: { key: AuditLookupKey; value: string }) =>
          (await store.audit.lookupRecords({ accountId: ACCOUNT, region: REGION, attribute, limit: 50 })).map((r) => r.seq);
        assert.deepEqual(await seqs(), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        assert.deepEqual(await seqs({ key: "EventName", value: "GetSecretValue" }), [11, 9, 7, 5, 3, 1]);
        assert.deepEqual(await seqs({ key: "Username", value: "alice" }), [12, 9, 6, 3]);
        assert.deepEqual(await seqs({ key: "AccessKeyId", value: "AKIAEVEN" }), [12, 10, 8, 6, 4, 2]);
        assert.deepEqual(await seqs({ key: "ReadOnly", value: "false" }), [12, 10, 8, 6, 4, 2]);
        assert.deepEqual(await seqs({ key: "ReadOnly", value: "true" }), [11, 9, 7, 5, 3, 1]);
        assert.deepEqual(await seqs({ key: "EventId", value: "event-7" }), [7]);
        assert.deepEqual(await seqs({ key: "EventId", value: "event-13" }), [], "another account's record is not found");
        assert.deepEqual(await seqs({ key: "EventSource", value: "secretsmanager.amazonaws.com" }), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        assert.deepEqual(await seqs({ key: "EventSource", value: "kms.amazonaws.com" }), []);
        assert.deepEqual(await seqs({ key: "ResourceName", value: "arn:secret:s1" }), [9, 5, 1]);
        assert.deepEqual(await seqs({ key: "ResourceName", value: "s2" }), [10, 6, 2], "lookup names find the record too");
        assert.deepEqual(await seqs({ key: "ResourceType", value: "AWS::SecretsManager::Secret" }), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        assert.deepEqual(await seqs({ key: "Username", value: "nobody" }), []);
        const [first] = await store.audit.lookupRecords({ accountId: ACCOUNT, region: REGION, attribute: { key: "EventId", value: "event-6" }, limit: 1 });
        assert.deepEqual(first, {
          seq: 6,
          eventTime: T0 + 6000,
          eventId: "event-6",
          eventName: "PutSecretValue",
          eventSource: "secretsmanager.amazonaws.com",
          username: "alice",
          accessKeyId: "AKIAEVEN",
          readOnly: false,
          resources: [{ type: "AWS::SecretsManager::Secret", name: "arn:secret:s2" }],
          record: row(6).record,
        });
        const other = await store.audit.lookupRecords({ accountId: OTHER, region: REGION, limit: 50 });
        assert.deepEqual(other.map((r) => r.seq), [13]);
      };
      await check();
      assert.ok((await store.transaction((tx) => tx.audit.indexForLookup(5))) <= 5);
      await check();
      await store.transaction((tx) => tx.audit.indexForLookup(1000));
      assert.equal(await store.transaction((tx) => tx.audit.indexForLookup(1000)), 0, "nothing is left to index");
      await check();
    });

    it("pages by (eventTime, seq) and bounds time inclusively", async () => {
      const page = (before?: { eventTime: number; seq: number }, limit = 5) =>
        store.audit.lookupRecords({ accountId: ACCOUNT, region: REGION, before, limit });
      const first = await page();
      assert.deepEqual(first.map((r) => r.seq), [12, 11, 10, 9, 8]);
      const last = first.at(-1)!;
      const second = await page({ eventTime: last.eventTime, seq: last.seq });
      assert.deepEqual(second.map((r) => r.seq), [7, 6, 5, 4, 3]);
      const timed = await store.audit.lookupRecords({
        accountId: ACCOUNT,
        region: REGION,
        startTime: T0 + 3000,
        endTime: T0 + 6000,
        limit: 50,
      });
      assert.deepEqual(timed.map((r) => r.seq), [6, 5, 4, 3]);
      const timedByName = await store.audit.lookupRecords({
        accountId: ACCOUNT,
        region: REGION,
        attribute: { key: "ResourceName", value: "s1" },
        startTime: T0 + 2000,
        limit: 1,
      });
      assert.deepEqual(timedByName.map((r) => r.seq), [9]);
      const pagedByName = await store.audit.lookupRecords({
        accountId: ACCOUNT,
        region: REGION,
        attribute: { key: "ResourceName", value: "s1" },
        before: { eventTime: T0 + 9000, seq: 9 },
        limit: 5,
      });
      assert.deepEqual(pagedByName.map((r) => r.seq), [5, 1]);
      // Records of one second are told apart by seq.
      await store.transaction((tx) =>
        tx.audit.appendRecords([row(15, { eventTime: T0 + 100_000 }), row(16, { eventTime: T0 + 100_000 })]),
      );
      const tie = await page(undefined, 1);
      assert.deepEqual(tie.map((r) => r.seq), [16]);
      assert.deepEqual((await page({ eventTime: T0 + 100_000, seq: 16 }, 1)).map((r) => r.seq), [15]);
    });

    it("finds a record by any of its resources, and by a name range", async () => {
      await store.transaction((tx) =>
        tx.audit.appendRecords([
          row(17, {
            accountId: OTHER,
            resources: [
              { type: "AWS::SecretsManager::Secret", name: "arn:secret:multi-AbCdEf" },
              { type: "AWS::SecretsManager::Secret", name: "arn:secret:second-XyZ123" },
              { type: "AWS::KMS::Key", name: "arn:key:1" },
            ],
            lookupNames: ["given-id"],
          }),
          row(18, { accountId: OTHER, resources: [{ type: "AWS::SecretsManager::Secret", name: "arn:secret:multi-more-AbCdEf" }], lookupNames: [] }),
          row(19, { accountId: OTHER, resources: [], lookupNames: [] }),
        ]),
      );
      const find = async (key: "ResourceName" | "ResourceType", value: string, prefix?: { text: string; suffixLength: number }) =>
        (await store.audit.lookupRecords({ accountId: OTHER, region: REGION, attribute: { key, value, prefix }, limit: 50 })).map((r) => r.seq);
      assert.deepEqual(await find("ResourceName", "arn:secret:multi-AbCdEf"), [17]);
      assert.deepEqual(await find("ResourceName", "arn:secret:second-XyZ123"), [17]);
      assert.deepEqual(await find("ResourceName", "given-id"), [17]);
      assert.deepEqual(await find("ResourceType", "AWS::KMS::Key"), [17]);
      assert.deepEqual(await find("ResourceType", "AWS::SecretsManager::Secret"), [18, 17, 13], "once per record, however many secrets it names");
      // The name range: "multi" is the secret of arn:secret:multi-AbCdEf, not of …multi-more-AbCdEf.
      assert.deepEqual(await find("ResourceName", "multi", { text: "arn:secret:multi-", suffixLength: 6 }), [17]);
      assert.deepEqual(await find("ResourceName", "multi-more", { text: "arn:secret:multi-more-", suffixLength: 6 }), [18]);
      assert.deepEqual(await find("ResourceName", "nothing", { text: "arn:secret:nothing-", suffixLength: 6 }), []);
    });

    it("retention deletes the oldest records in batches and keeps the head", async () => {
      assert.equal(await store.transaction((tx) => tx.audit.deleteRecordsThrough(5, 3)), 3);
      assert.deepEqual(await store.audit.recordBounds(), { firstSeq: 4, lastSeq: 19 });
      assert.equal(await store.transaction((tx) => tx.audit.deleteRecordsThrough(5, 100)), 2);
      assert.equal(await store.transaction((tx) => tx.audit.deleteRecordsThrough(5, 100)), 0);
      assert.deepEqual(await store.audit.recordBounds(), { firstSeq: 6, lastSeq: 19 });
      assert.deepEqual((await store.audit.chainHead()).seq, 19);
      const byName = await store.audit.lookupRecords({
        accountId: ACCOUNT,
        region: REGION,
        attribute: { key: "ResourceName", value: "s1" },
        limit: 50,
      });
      assert.deepEqual(byName.map((r) => r.seq), [9]);
    });

    it("keeps digests in order and refuses a second digest with the same id", async () => {
      const digest = (id: number) => ({ id, firstSeq: id * 10 - 9, lastSeq: id * 10, endTime: T0 + id, digest: `{"d":${id}}` });
      await store.transaction(async (tx) => {
        await tx.audit.insertDigest(digest(1));
        await tx.audit.insertDigest(digest(2));
      });
      await assert.rejects(
        store.transaction((tx) => tx.audit.insertDigest(digest(2))),
        (err: unknown) => err instanceof UniqueViolationError,
      );
      await store.transaction((tx) => tx.audit.insertDigest(digest(3)));
      assert.deepEqual(await store.audit.latestDigest(), digest(3));
      assert.deepEqual(await store.audit.listDigests(0, 10), [digest(1), digest(2), digest(3)]);
      assert.deepEqual(await store.audit.listDigests(1, 1), [digest(2)]);
      assert.deepEqual(await store.audit.latestDigestWithin(T0 + 2, 100), digest(2));
      assert.deepEqual(await store.audit.latestDigestWithin(T0 + 3, 29), digest(2));
      assert.equal(await store.audit.latestDigestWithin(T0, 100), undefined);
    });

    it("keeps signing keys and refuses a duplicate fingerprint", async () => {
      const key = { fingerprint: "f1", publicKeyPem: "PEM", wrappedPrivateKey: Buffer.from([1, 2, 3]), createdAt: 5 };
      await store.transaction((tx) => tx.audit.insertSigningKey(key));
      await assert.rejects(
        store.transaction((tx) => tx.audit.insertSigningKey({ ...key, createdAt: 6 })),
        (err: unknown) => err instanceof UniqueViolationError,
      );
      const [stored] = await store.audit.listSigningKeys();
      assert.equal(stored?.fingerprint, "f1");
      assert.equal(stored?.publicKeyPem, "PEM");
      assert.ok(stored?.wrappedPrivateKey.equals(Buffer.from([1, 2, 3])));
      assert.equal(stored?.createdAt, 5);
    });

    it("keeps sink cursors", async () => {
      assert.equal(await store.audit.getCursor("file"), undefined);
      await store.transaction((tx) => tx.audit.putCursor({ name: "file", seq: 5, updatedAt: 10 }));
      await store.transaction((tx) => tx.audit.putCursor({ name: "file", seq: 9, updatedAt: 11 }));
      await store.transaction((tx) => tx.audit.putCursor({ name: "stdout", seq: 2, updatedAt: 12 }));
      assert.deepEqual(await store.audit.getCursor("file"), { name: "file", seq: 9, updatedAt: 11 });
      assert.deepEqual(await store.audit.listCursors(), [
        { name: "file", seq: 9, updatedAt: 11 },
        { name: "stdout", seq: 2, updatedAt: 12 },
      ]);
    });

    it("serialises concurrent appenders on the chain head", async () => {
      const start = (await store.audit.chainHead()).seq;
      await Promise.all(
        Array.from({ length: 12 }, () =>
          store.transaction(async (tx) => {
            const head: AuditChainHead = await tx.audit.chainHead();
            // Give another appender the chance to interleave if the head were not locked.
            await new Promise((r) => setTimeout(r, 2));
            const seq = head.seq + 1;
            await tx.audit.appendRecords([row(seq, { prevHash: head.hash, hash: hashOf(seq) })]);
          }),
        ),
      );
      const appended = await store.audit.readRecords(start, 100);
      assert.deepEqual(
        appended.map((r) => r.seq),
        Array.from({ length: 12 }, (_, i) => start + i + 1),
      );
      for (const [i, r] of appended.entries()) {
        if (i > 0) assert.equal(r.prevHash, appended[i - 1]!.hash);
      }
    });
  });
}
