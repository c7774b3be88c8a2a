import { sqliteMigrations } from "../migrations/sqlite.js";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openStore } from "../open-store.js";
import type { Store } from "../store.js";
import { runStoreContract } from "../store.contract.js";
import { SqliteStore } from "./sqlite-store.js";

const dirs = new Map<Store, string>();

async function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "coffer-sqlite-"));
}

runStoreContract(
  "sqlite",
  async () => {
    const dir = await scratchDir();
    const store = new SqliteStore(join(dir, "coffer.db"));
    dirs.set(store, dir);
    return store;
  },
  async (store) => {
    await store.close();
    const dir = dirs.get(store);
    if (dir) await rm(dir, { recursive: true, force: true });
  },
);

/** Runs `body` (ES module code with `openStore` and `url` in scope) in a separate node process. */
function child(url: string, body: string): Promise<void> {
  const openStoreUrl = new URL("../open-store.js", import.meta.url).href;
  const code = `import { openStore } from ${JSON.stringify(openStoreUrl)};\nconst url = ${JSON.stringify(url)};\n${body}`;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (status) => (status === 0 ? resolve() : reject(new Error(`child exited ${status}: ${stderr}`))));
  });
}

describe("sqlite backend specifics", () => {
  const cleanup: string[] = [];
  after(async () => {
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it("openStore creates the parent directory, migrates, and sets WAL", async () => {
    const dir = await scratchDir();
    cleanup.push(dir);
    const path = join(dir, "nested", "deeper", "coffer.db");
    const store = await openStore(`sqlite:${path}`);
    try {
      assert.equal(store.kind, "sqlite");
      await store.putSetting("k", "v");
      assert.equal(await store.getSetting("k"), "v");
    } finally {
      await store.close();
    }
    const raw = new Database(path, { readonly: true });
    try {
      assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
      assert.deepEqual(raw.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get(), { n: sqliteMigrations.length });
    } finally {
      raw.close();
    }
    const again = await openStore(`sqlite://${path}`);
    assert.equal(await again.getSetting("k"), "v");
    await again.close();
  });

  it("openStore refuses unknown schemes and in-memory databases", async () => {
    await assert.rejects(openStore("mysql://u:hunter2@h/db"), (err: Error) => !err.message.includes("hunter2"));
    await assert.rejects(openStore("sqlite::memory:"));
    await assert.rejects(openStore("sqlite:"));
  });

  it("several processes migrate and write one file at once without losing a write", async () => {
    const dir = await scratchDir();
    cleanup.push(dir);
    const url = `sqlite:${join(dir, "shared.db")}`;
    const body = `
      const store = await openStore(url);
      for (let i = 0; i < 25; i++) {
        await store.transaction(async (tx) => {
          const n = Number((await tx.getSetting("counter")) ?? "0");
          await new Promise((r) => setTimeout(r, 1));
          await tx.putSetting("counter", String(n + 1));
        });
      }
      await store.close();`;
    await Promise.all([child(url, body), child(url, body), child(url, body), child(url, body)]);
    const store = await openStore(url);
    try {
      assert.equal(await store.getSetting("counter"), "100");
    } finally {
      await store.close();
    }
    const raw = new Database(join(dir, "shared.db"), { readonly: true });
    try {
      // Every step recorded exactly once, although four processes migrated at the same time.
      const versions = raw.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
      assert.deepEqual(versions, sqliteMigrations.map((m) => ({ version: m.version })));
    } finally {
      raw.close();
    }
  });

  it("refuses a store-level write or a nested transaction inside a transaction instead of hanging", async () => {
    const dir = await scratchDir();
    cleanup.push(dir);
    const store = new SqliteStore(join(dir, "coffer.db"), { lockTimeoutMs: 200 });
    await store.migrate();
    try {
      await store.transaction(async () => {
        await assert.rejects(store.putSetting("k", "v"), /busy/);
        await assert.rejects(store.transaction(async () => undefined), /busy/);
        assert.equal(await store.getSetting("k"), undefined); // plain reads are fine
      });
      await store.putSetting("k", "v");
    } finally {
      await store.close();
    }
  });
});
