// With --workers N, every server process holds the root key on its own. In Shamir mode each must
// be unsealed, yet the operators' calls land on whichever process the kernel hands a connection
// to. So a share one process accepts, and a seal, reach every other process of the same server
// through the cluster's primary (its IPC channels: pipes between the processes, nothing on disk),
// and each process reconstructs the key itself from the same shares. The key never travels.
import cluster from "node:cluster";
import type { CustodyEvent, CustodyPeers } from "../crypto/custody.js";

const TAG = "coffer-custody";

interface CustodyMessage {
  type: typeof TAG;
  event: CustodyEvent;
}

function isCustodyMessage(message: unknown): message is CustodyMessage {
  const m = message as Partial<CustodyMessage> | null;
  return typeof m === "object" && m !== null && m.type === TAG && typeof m.event === "object" && m.event !== null;
}

/** This worker's link to its siblings; undefined outside a cluster (one process has no peers). */
export function clusterCustodyPeers(): CustodyPeers | undefined {
  if (!cluster.isWorker || typeof process.send !== "function") return undefined;
  return {
    publish(event) {
      process.send?.({ type: TAG, event } satisfies CustodyMessage);
    },
    subscribe(handler) {
      process.on("message", (message: unknown) => {
        if (isCustodyMessage(message)) handler(message.event);
      });
    },
  };
}

/** In the primary: passes each worker's custody events on to every other worker. */
export function relayCustodyEvents(): void {
  cluster.on("message", (from, message: unknown) => {
    if (!isCustodyMessage(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== from && worker.isConnected()) worker.send(message);
    }
  });
}
