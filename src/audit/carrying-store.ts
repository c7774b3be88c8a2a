// The Store a write operation gets for one request: the same store, except that a transaction
// also appends the request's record, built from the transaction's result, before it commits.
// A write is therefore never durable without its record, and a record that cannot be stored
// rolls the write back. Everything else is the base store itself (prototype delegation), so
// reads and feature stores behave exactly as usual.
import type { Store, StoreOps, TransactionOptions } from "../store/store.js";
import { appendPrepared, type PreparedRecord } from "./append.js";
import { AuditUnavailableError } from "./unavailable.js";

export interface RecordCarrier {
  /** Records to commit with this transaction, given its result; none when already carried. */
  recordsFor(result: unknown): PreparedRecord[];
  /** The transaction that carried records committed. */
  committed(): void;
  /** The transaction that carried records did not commit: they are not stored. */
  rolledBack(): void;
  /** Appending failed: the store cannot take records. */
  appendFailed(err: unknown): void;
}

export function carryingStore(base: Store, carrier: RecordCarrier): Store {
  const view = Object.create(base) as Store;
  view.transaction = async <T>(fn: (tx: StoreOps) => Promise<T>, options?: TransactionOptions): Promise<T> => {
    let carried = false;
    try {
      const result = await base.transaction(async (tx) => {
        const value = await fn(tx);
        const records = carrier.recordsFor(value);
        if (records.length > 0) {
          try {
            await appendPrepared(tx.audit, records);
          } catch (err) {
            carrier.appendFailed(err);
            throw new AuditUnavailableError(err);
          }
          carried = true;
        }
        return value;
      }, options);
      if (carried) carrier.committed();
      return result;
    } catch (err) {
      if (carried) carrier.rolledBack();
      throw err;
    }
  };
  return view;
}
