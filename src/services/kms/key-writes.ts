// Read-modify-write of one key row in one transaction (the row is locked on PostgreSQL; SQLite
// serialises writers), after which this process's cached copy is dropped so the change applies
// to the very next request.
import type { KeyRecord } from "../../store/keys-ops.js";
import type { StoreOps } from "../../store/store.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { NotFoundException, kmsMessages } from "./errors.js";

export async function updateKeyRecord<T>(
  deps: ServiceDeps,
  record: KeyRecord,
  change: (current: KeyRecord, tx: StoreOps) => Promise<{ next?: KeyRecord; result: T }> | { next?: KeyRecord; result: T },
): Promise<T> {
  try {
    return await deps.store.transaction(async (tx) => {
      const current = await tx.keys.getKey(record.accountId, record.region, record.keyId);
      if (!current) throw new NotFoundException(kmsMessages.keyNotFound(record.arn));
      const { next, result } = await change(current, tx);
      if (next) await tx.keys.updateKey(next);
      return result;
    });
  } finally {
    deps.keyring.invalidateKey(record.arn);
  }
}

/** Days → ms from the request time. */
export const daysFrom = (ctx: RequestContext, days: number): number => ctx.now + days * 86_400_000;
