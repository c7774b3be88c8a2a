import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { SecretRow } from "../store.js";
import { SqliteStore } from "./sqlite-store.js";
import { type BatchWriter, WriteBatches } from "./write-batches.js";

/** A writer that records the statements a batch would run, to see how members are grouped. */
function recordingWriter(options: { failCommit?: boolean } = {}) {
  const log: string[] = [];
  let open = false;
  const writer: BatchWriter<string[]> = {
    begin: (full) => {
      log.push(full ? "BEGIN full" : "BEGIN process");
      open = true;
    },
    open: () => ({ tx: log, end: () => undefined }),
    savepoint: () => log.push("SAVEPOINT"),
    release: () => log.push("RELEASE"),
    undo: () => log.push("UNDO"),
    inTransaction: () => open,
    commit: () => {
      if (options.failCommit) throw new Error("disk I/O error");
      log.push("COMMIT");
      open = false;
    },
    rollback: () => {
      log.push("ROLLBACK");
      open = false;
    },
    committed: () => log.push("committed"),
  };
  const batches = new WriteBatches(writer, {
    maxBatch: 3,
    waitTimeoutMs: 200,
    exclusive: (fn) => fn(),
    assertOpen: () => undefined,
  });
  return { log, batches };
}

describe("write batches", () => {
  it("writes handed in together share one COMMIT, each in its own savepoint", async () => {
    const { log, batches } = recordingWriter();
    const results = await Promise.all([1, 2, 3].map((n) => batches.run(async (tx) => (tx.push(`write ${n}`), n), true)));
    assert.deepEqual(results, [1, 2, 3]);
    assert.deepEqual(log, [
      "BEGIN full",
      "write 1", // the first needs no savepoint: undoing it is rolling back
      ...["write 2", "write 3"].flatMap((w) => ["SAVEPOINT", w, "RELEASE"]),
      "COMMIT",
      "committed",
    ]);
  });

  it("a batch holds at most maxBatch members; the rest go in the next", async () => {
    const { log, batches } = recordingWriter();
    await Promise.all([1, 2, 3, 4, 5].map((n) => batches.run(async () => n, true)));
    assert.equal(log.filter((l) => l === "COMMIT").length, 2);
  });

  it("a member that throws is undone alone and fails alone", async () => {
    const { log, batches } = recordingWriter();
    const outcomes = await Promise.allSettled([
      batches.run(async () => "a", true),
      batches.run(async () => {
        throw new Error("no such secret");
      }, true),
      batches.run(async () => "c", true),
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message)),
      ["a", "no such secret", "c"],
    );
    assert.deepEqual(log, ["BEGIN full", "SAVEPOINT", "UNDO", "SAVEPOINT", "RELEASE", "COMMIT", "committed"]);
  });

  it("when the first member throws, its transaction is rolled back and the rest run in the next", async () => {
    const { log, batches } = recordingWriter();
    const outcomes = await Promise.allSettled([
      batches.run(async () => {
        throw new Error("refused");
      }, true),
      batches.run(async () => "b", true),
      batches.run(async () => "c", true),
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message)),
      ["refused", "b", "c"],
    );
    assert.deepEqual(log, ["BEGIN full", "ROLLBACK", "BEGIN full", "SAVEPOINT", "RELEASE", "COMMIT", "committed"]);
  });

  it("a batch that need not fsync takes no member that must", async () => {
    const { log, batches } = recordingWriter();
    await Promise.all([batches.run(async () => 1, false), batches.run(async () => 2, true), batches.run(async () => 3, false)]);
    assert.deepEqual(
      log.filter((l) => l.startsWith("BEGIN")),
      ["BEGIN process", "BEGIN full"],
      "the full member starts a batch of its own, which may take the process member after it",
    );
  });

  it("when the COMMIT fails, every member of the batch fails and nothing resolves", async () => {
    const { log, batches } = recordingWriter({ failCommit: true });
    const outcomes = await Promise.allSettled([batches.run(async () => 1, true), batches.run(async () => 2, true)]);
    assert.deepEqual(outcomes.map((o) => o.status), ["rejected", "rejected"]);
    assert.ok(log.includes("ROLLBACK"));
    assert.ok(!log.includes("committed"));
  });

  it("a write handed in as the previous batch winds down still runs", async () => {
    const { batches } = recordingWriter();
    // Each write starts the next from its continuation, the way a request does one write after another.
    let chain = Promise.resolve(0);
    for (let i = 0; i < 20; i++) chain = chain.then((n) => batches.run(async () => n + 1, true));
    assert.equal(await chain, 20);
  });

  it("a write started inside another write fails after the wait limit instead of hanging", async () => {
    const { batches } = recordingWriter();
    await assert.rejects(
      batches.run(async () => batches.run(async () => "inner", true), true),
      /writer stayed busy for 200 ms \(a write started inside a transaction waits on itself\)/,
    );
  });
});

describe("write batches on SQLite", () => {
  const cleanup: string[] = [];
  after(async () => {
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  const secret = (name: string): SecretRow => ({
    arn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-AbCdEf`,
    accountId: "111122223333",
    region: "us-east-1",
    name,
    createdAt: 1,
    lastChangedAt: 1,
    lastAccessedAt: null,
    deletedAt: null,
    deletionAt: null,
    stages: {},
    meta: {},
  });

  it("concurrent writes commit together; a failed one leaves no trace; another connection sees the rest", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-batches-"));
    cleanup.push(dir);
    const path = join(dir, "coffer.db");
    const store = new SqliteStore(path);
    await store.migrate();
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const outcomes = await Promise.allSettled(
      names.map((name, i) =>
        store.transaction(async (tx) => {
          await tx.insertSecret(secret(name));
          if (i % 10 === 3) throw new Error(`refused ${name}`);
          return name;
        }),
      ),
    );
    const stored = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    assert.equal(stored.length, 36);
    // A write that follows sees every committed one (and a taken name is still taken).
    await assert.rejects(store.transaction((tx) => tx.insertSecret(secret("s0"))));
    await store.transaction((tx) => tx.insertSecret(secret("s3")));
    await store.close();

    const other = new SqliteStore(path);
    try {
      for (const name of names) {
        const row = await other.getSecretByName("111122223333", "us-east-1", name);
        assert.equal(row !== undefined, stored.includes(name) || name === "s3", name);
      }
    } finally {
      await other.close();
    }
  });
});
