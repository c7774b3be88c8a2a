// The IdentityOps contract on PostgreSQL (a scratch database per run).
import { runIdentityContract } from "../identity.contract.js";
import { openStore } from "../open-store.js";
import type { Store } from "../store.js";
import { createScratchDatabase } from "./scratch-database.js";

const drops = new Map<Store, () => Promise<void>>();

runIdentityContract(
  "postgres",
  async () => {
    const db = await createScratchDatabase();
    const store = await openStore(db.url);
    drops.set(store, db.drop);
    return store;
  },
  async (store) => {
    await store.close();
    await drops.get(store)?.();
  },
);
