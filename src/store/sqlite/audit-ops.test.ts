// The audit store contract on SQLite.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAuditContract } from "../audit.contract.js";
import type { Store } from "../store.js";
import { SqliteStore } from "./sqlite-store.js";

const dirs = new Map<Store, string>();

runAuditContract(
  "sqlite",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-audit-"));
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
