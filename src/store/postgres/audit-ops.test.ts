// The audit store contract on PostgreSQL.
import { runAuditContract } from "../audit.contract.js";
import type { Store } from "../store.js";
import { PostgresStore } from "./postgres-store.js";
import { createScratchDatabase } from "./scratch-database.js";

const drops = new Map<Store, () => Promise<void>>();

runAuditContract(
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
