import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { Checkpointer } from "./checkpointer.js";
import { openConnection } from "./connection.js";

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

describe("WAL checkpoints in a thread of their own", () => {
  it("copies committed pages into the database file while the writer never checkpoints itself", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-checkpoint-"));
    const path = join(dir, "coffer.db");
    const writer = openConnection(path, { busyTimeoutMs: 1000, queryOnly: false });
    const checkpointer = new Checkpointer(writer, path, 20);
    try {
      assert.equal(writer.pragma("wal_autocheckpoint", { simple: true }), 0);
      writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
      const sizeBefore = statSync(path).size;
      const insert = writer.prepare("INSERT INTO t (v) VALUES (?)");
      // 2,000 rows of 1 KB, each its own commit: about 500 pages reach the WAL.
      for (let i = 0; i < 2000; i++) insert.run("x".repeat(1024));
      const copied = await until(() => statSync(path).size > sizeBefore + 1024 * 1024, 5000);
      assert.ok(copied, `database file stayed at ${statSync(path).size} bytes`);
      // What the thread copied reads back whole through a fresh connection.
      const reader = openConnection(path, { busyTimeoutMs: 1000, queryOnly: true });
      assert.equal(reader.prepare("SELECT COUNT(*) FROM t").pluck().get(), 2000);
      reader.close();
    } finally {
      await checkpointer.stop();
      writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives checkpoints back to the writer when its thread cannot run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-checkpoint-"));
    const path = join(dir, "coffer.db");
    const writer = openConnection(path, { busyTimeoutMs: 1000, queryOnly: false });
    // A path the thread cannot open: its connection fails and the thread ends at once.
    const checkpointer = new Checkpointer(writer, join(dir, "missing", "coffer.db"), 20);
    try {
      const restored = await until(() => writer.pragma("wal_autocheckpoint", { simple: true }) === 1000, 5000);
      assert.ok(restored, "the writer still does not checkpoint");
    } finally {
      await checkpointer.stop();
      writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
