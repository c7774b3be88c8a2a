// The worker side of ThreadAppender: appends batches of prepared records to the store through a
// connection of its own, so the commit's fsync (and any WAL checkpoint it triggers) blocks this
// thread, not the server's event loop. Messages: {id, records} in, {id, head} or {id, error} out.
import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../store/open-store.js";
import { appendPrepared, type PreparedRecord } from "./append.js";
import { describeCause } from "./unavailable.js";

interface Batch {
  id: number;
  records: PreparedRecord[];
}

const port = parentPort;
if (!port) throw new Error("append-thread runs as a worker thread");
const store = await openStore((workerData as { storeUrl: string }).storeUrl);

port.on("message", (message: Batch | "close") => {
  if (message === "close") {
    store.close().finally(() => port.close());
    return;
  }
  store
    .transaction((tx) => appendPrepared(tx.audit, message.records))
    .then(
      (head) => port.postMessage({ id: message.id, head }),
      (err: unknown) => port.postMessage({ id: message.id, error: describeCause(err) }),
    );
});
port.postMessage({ ready: true });
