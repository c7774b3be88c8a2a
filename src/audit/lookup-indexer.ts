// Keeps the store's LookupEvents index close behind the newest record. Storing a record does
// not update the lookup indexes (a SQLite store would otherwise update six of them per record);
// this worker adds the new records to them in batches, each batch one transaction. Lookups see
// every record whatever this worker has done: it only keeps short the part they must scan.
import type { Logger } from "pino";
import { LeaseLoop } from "../store/lease-loop.js";
import type { Store } from "../store/store.js";

// A batch holds the writer (and, on SQLite, the event loop) for about 10 µs a record: small
// batches, each its own turn, keep that from showing as a pause in every request's latency.
const BATCH = 1_000;

export class LookupIndexer {
  private readonly loop: LeaseLoop;

  constructor(store: Store, intervalMs: number, holder: string, log: Logger) {
    // No lease: batches in different processes serialise on the store's writer, and each
    // starts from where the last one ended.
    this.loop = new LeaseLoop(store, [], holder, intervalMs, () => this.catchUp(store), (err) =>
      log.warn({ reason: err.message }, "audit lookup index: batch failed; retrying"),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Indexes everything appended so far; returns how many records were added. */
  async catchUp(store: Store): Promise<number> {
    let total = 0;
    for (;;) {
      // "process" durability: a batch lost to a power failure is redone from the same head.
      const added = await store.transaction((tx) => tx.audit.indexForLookup(BATCH), { durability: "process" });
      total += added;
      if (added < BATCH) return total;
    }
  }
}
