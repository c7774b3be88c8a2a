// WAL checkpoints away from the request path. SQLite's automatic checkpoint runs inside the
// COMMIT that crosses its threshold, on the committing connection: the writer (and so the event
// loop) stops for milliseconds to copy the WAL into the database file and fsync it, once every
// few hundred commits. Here the writer's automatic checkpoint is off and a worker thread with a
// connection of its own checkpoints on a timer instead. Should that thread end unexpectedly, the
// writer goes back to checkpointing itself, so the WAL never grows without bound.
import { Worker } from "node:worker_threads";
import type { Connection } from "./connection.js";
import type { CheckpointWorkerData } from "./checkpoint-worker.js";

/** SQLite's own default threshold, in pages, for a writer that checkpoints itself. */
const AUTOCHECKPOINT_PAGES = 1000;

export class Checkpointer {
  private readonly worker: Worker;
  private stopping = false;
  private readonly exited: Promise<void>;

  constructor(
    private readonly writer: Connection,
    path: string,
    intervalMs = 100,
  ) {
    writer.pragma("wal_autocheckpoint = 0");
    const workerData: CheckpointWorkerData = { path, intervalMs };
    this.worker = new Worker(new URL("./checkpoint-worker.js", import.meta.url), { workerData });
    // It must not keep a process alive that is otherwise done.
    this.worker.unref();
    this.worker.on("error", () => undefined); // the exit handler below takes over
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", () => {
        if (!this.stopping && writer.open) writer.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        resolve();
      });
    });
  }

  /** Ends the thread (its connection closed) before the store closes its own connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.ref(); // held until it has gone, or an otherwise idle process would not wait
    this.worker.postMessage("stop");
    await this.exited;
  }
}
