import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { Checkpointer } from "./checkpointer.js";
import { openConnection, type Connection } from "./connection.js";

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

/** A writer with a checkpointer that may hold it, as the store's writer lock does. */
interface HeldWriter {
  path: string;
  writer: Connection;
  /** Resolves at once, or once the checkpointer lets go of the writer. */
  whenFree(): Promise<void>;
  /** How often the checkpointer held the writer. */
  holds(): number;
}

/** Runs `test` on a fresh database (table t) whose checkpointer restarts a WAL past 256 frames. */
async function onHeldWriter(test: (db: HeldWriter) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "coffer-checkpoint-"));
  const path = join(dir, "coffer.db");
  const writer = openConnection(path, { busyTimeoutMs: 5000, queryOnly: false });
  let held: Promise<void> | undefined;
  let holds = 0;
  const holdWriter = async (fn: () => Promise<void>) => {
    holds++;
    held = fn();
    await held;
    held = undefined;
  };
  const checkpointer = new Checkpointer(writer, path, { intervalMs: 10, restartFrames: 256, holdWriter });
  try {
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    await test({ path, writer, whenFree: async () => void (await held), holds: () => holds });
  } finally {
    await checkpointer.stop();
    writer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Commits 20 rows of 1 KiB every turn of the event loop for `ms`, as a busy server's group
 * commit does, pausing while the writer is held. Returns the rows and the longest WAL seen.
 */
async function commitEveryTurn(db: HeldWriter, ms: number): Promise<{ rows: number; largestWal: number }> {
  const insert = db.writer.prepare("INSERT INTO t (v) VALUES (?)");
  let rows = 0;
  let largestWal = 0;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await db.whenFree();
    db.writer.exec("BEGIN IMMEDIATE");
    for (let i = 0; i < 20; i++) insert.run("x".repeat(1024));
    db.writer.exec("COMMIT");
    rows += 20;
    largestWal = Math.max(largestWal, statSync(`${db.path}-wal`).size);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { rows, largestWal };
}

function assertWalStayedShort(db: HeldWriter, written: number, largestWal: number): void {
  assert.ok(written > 8 * 1024 * 1024, `only ${written} bytes written`);
  // 256 frames of 4 KiB is 1 MiB; the WAL restarts a little past that, never near what was written.
  assert.ok(largestWal < written / 3, `the WAL grew to ${largestWal} bytes for ${written} bytes written`);
  assert.equal(db.writer.prepare("SELECT COUNT(*) FROM t").pluck().get(), written / 1024);
}

describe("WAL checkpoints in a thread of their own", () => {
  it("copies committed pages into the database file while the writer never checkpoints itself", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-checkpoint-"));
    const path = join(dir, "coffer.db");
    const writer = openConnection(path, { busyTimeoutMs: 1000, queryOnly: false });
    const checkpointer = new Checkpointer(writer, path, { intervalMs: 20 });
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

  it("keeps the WAL short under writes that never pause, by holding the writer for a last pass", async () => {
    await onHeldWriter(async (db) => {
      const { rows, largestWal } = await commitEveryTurn(db, 1500);
      assert.ok(db.holds() > 0, "the writer was never held for a restart");
      assertWalStayedShort(db, rows * 1024, largestWal);
    });
  });

  it("keeps the WAL short when another process writes too, which the held writer cannot stop", async () => {
    await onHeldWriter(async (db) => {
      // Another process's writer, on a thread of its own: it commits whenever it likes, holding
      // this process's writer does not pause it.
      const other = new Worker(
        `const { parentPort, workerData } = require("node:worker_threads");
         const Database = require(workerData.driver);
         const db = new Database(workerData.path, { timeout: 5000 });
         db.pragma("journal_mode = WAL");
         db.pragma("synchronous = FULL");
         const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
         const row = "y".repeat(1024);
         let rows = 0;
         const deadline = Date.now() + workerData.ms;
         while (Date.now() < deadline) {
           db.exec("BEGIN IMMEDIATE");
           for (let i = 0; i < 20; i++) insert.run(row);
           db.exec("COMMIT");
           rows += 20;
         }
         db.close();
         parentPort.postMessage(rows);`,
        { eval: true, workerData: { path: db.path, ms: 1500, driver: createRequire(import.meta.url).resolve("better-sqlite3") } },
      );
      const otherRows = new Promise<number>((resolve, reject) => {
        other.once("message", resolve);
        other.once("error", reject);
      });
      try {
        const { rows, largestWal } = await commitEveryTurn(db, 1500);
        assertWalStayedShort(db, (rows + (await otherRows)) * 1024, largestWal);
      } finally {
        await other.terminate();
      }
    });
  });

  it("gives checkpoints back to the writer when its thread cannot run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-checkpoint-"));
    const path = join(dir, "coffer.db");
    const writer = openConnection(path, { busyTimeoutMs: 1000, queryOnly: false });
    // A path the thread cannot open: its connection fails and the thread ends at once.
    const checkpointer = new Checkpointer(writer, join(dir, "missing", "coffer.db"), { intervalMs: 20 });
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
