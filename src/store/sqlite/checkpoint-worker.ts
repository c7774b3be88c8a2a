// The body of the checkpointer's thread (checkpointer.ts): its own connection copies committed
// WAL pages into the database file every so often, so that no commit on the writer connection
// has to. PASSIVE never waits for readers or writers; what it cannot copy now it copies later.
import { parentPort, workerData } from "node:worker_threads";
import { openConnection } from "./connection.js";

export interface CheckpointWorkerData {
  path: string;
  intervalMs: number;
}

const { path, intervalMs } = workerData as CheckpointWorkerData;
const db = openConnection(path, { busyTimeoutMs: 0, queryOnly: false });
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {
    // Busy or locked by another checkpoint (another process): the next round copies it.
  }
}, intervalMs);

parentPort?.on("message", (message: unknown) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
