import { postgresMigrations } from "../migrations/postgres.js";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { openStore } from "../open-store.js";
import type { Store } from "../store.js";
import { runStoreContract } from "../store.contract.js";
import { PostgresStore } from "./postgres-store.js";
import { createScratchDatabase } from "./scratch-database.js";

const drops = new Map<Store, () => Promise<void>>();

runStoreContract(
  "postgres",
  async () => {
    const db = await createScratchDatabase();
    const store = new PostgresStore(db.url);
    drops.set(store, db.drop);
    return store;
  },
  async (store) => {
    await store.close();
    await drops.get(store)?.();
  },
);

describe("postgres backend specifics", () => {
  it("openStore accepts postgres:// and postgresql:// and returns a migrated store", async () => {
    const db = await createScratchDatabase();
    try {
      for (const url of [db.url, db.url.replace(/^postgres:/, "postgresql:")]) {
        const store = await openStore(url);
        try {
          assert.equal(store.kind, "postgres");
          await store.putSetting("k", url);
          assert.equal(await store.getSetting("k"), url);
        } finally {
          await store.close();
        }
      }
    } finally {
      await db.drop();
    }
  });

  it("text with U+0000, which PostgreSQL cannot store, is stored and compared as U+FFFD instead of failing", async () => {
    const db = await createScratchDatabase();
    const store = new PostgresStore(db.url);
    try {
      await store.migrate();
      await store.putSetting("k", "a\u0000b");
      assert.equal(await store.getSetting("k"), "a\ufffdb");
      assert.equal(await store.getSetting("k\u0000"), undefined);
      await store.transaction((tx) => tx.putSetting("k\u0000", "c"));
      assert.equal(await store.getSetting("k\ufffd"), "c");
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it("transactions that also read through the pool never hold all of its connections", async () => {
    const db = await createScratchDatabase();
    const store = new PostgresStore({ connectionString: db.url, max: 3 });
    let hung = false;
    try {
      await store.migrate();
      await store.putSetting("k", "v");
      const reads = Promise.all(
        Array.from({ length: 6 }, () =>
          store.transaction(async (tx) => {
            await tx.audit.chainHead(); // the row lock every appender of records takes
            await new Promise((resolve) => setTimeout(resolve, 20)); // the others queue behind it meanwhile
            return store.getSetting("k"); // a plain read through the pool, from inside the transaction
          }),
        ),
      );
      const outcome = await Promise.race([reads, new Promise((resolve) => setTimeout(() => resolve("hung"), 10_000).unref())]);
      hung = outcome === "hung";
      assert.deepEqual(outcome, Array(6).fill("v"));
    } finally {
      // A hung pool never closes: dropping the database ends its connections first.
      if (hung) await db.drop();
      await store.close();
      await db.drop();
    }
  });

  it("separate pools (as separate processes would) migrate one fresh database at once", async () => {
    const db = await createScratchDatabase();
    const stores = [0, 1, 2, 3].map(() => new PostgresStore(db.url));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT version FROM schema_migrations ORDER BY version");
        // Every step recorded exactly once, although four pools migrated at the same time.
        assert.deepEqual(rows, postgresMigrations.map((m) => ({ version: m.version })));
      } finally {
        await client.end();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });

  it("createScratchDatabase's drop removes the database", async () => {
    const db = await createScratchDatabase();
    const name = new URL(db.url).pathname.slice(1);
    await db.drop();
    await db.drop();
    const admin = new pg.Client({
      connectionString: process.env["COFFER_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres",
    });
    await admin.connect();
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      assert.equal(rowCount, 0);
    } finally {
      await admin.end();
    }
  });
});
