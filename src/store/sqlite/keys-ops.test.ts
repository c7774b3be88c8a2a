// The KeyOps contract on SQLite.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runKeysContract } from "../keys.contract.js";
import { openStore } from "../open-store.js";
import type { Store } from "../store.js";

const dirs = new Map<Store, string>();

runKeysContract(
  "sqlite",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "coffer-keys-"));
    const store = await openStore(`sqlite:${join(dir, "coffer.db")}`);
    dirs.set(store, dir);
    return store;
  },
  async (store) => {
    await store.close();
    const dir = dirs.get(store);
    if (dir) await rm(dir, { recursive: true, force: true });
  },
);
