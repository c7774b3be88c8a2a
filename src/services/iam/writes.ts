// Every IAM change is one store transaction that also raises the identity generation, so caches
// of authorization data in every process notice it (server/access-keys.ts).
import type { StoreOps } from "../../store/store.js";
import type { ServiceDeps } from "../context.js";

export function iamWrite<T>(deps: ServiceDeps, change: (tx: StoreOps) => Promise<T>): Promise<T> {
  return deps.store.transaction(async (tx) => {
    const result = await change(tx);
    await tx.identity.bumpGeneration();
    return result;
  });
}
