// The body of the checkpointer's thread (checkpointer.ts): its own connection copies committed
// WAL pages into the database file every so often, so that no commit on the writer connection
// has to. PASSIVE never waits for readers or writers; what it cannot copy now it copies later.
//
// Copying is not enough to keep the WAL small: SQLite starts the WAL over from its beginning
// only when a write transaction begins while every frame has been copied, which under steady
// writes almost never happens on its own (the writer commits again while a pass copies). So once
// a pass has nearly caught up with a WAL past RESTART_FRAMES, the thread says so; the main thread
// then holds its writes back while one last pass copies the frames committed meanwhile, and the
// writer's next transaction restarts the WAL (checkpointer.ts).
import { parentPort, workerData } from "node:worker_threads";
import { openConnection } from "./connection.js";

export interface CheckpointWorkerData {
  path: string;
  intervalMs: number;
  /** WAL length, in frames, from which a caught-up pass asks for a restart. */
  restartFrames: number;
}

/** What the thread tells the main thread. */
export type CheckpointWorkerMessage = { type: "caught-up"; frames: number } | { type: "final-done" };

/** What the main thread asks of the thread. */
export type CheckpointWorkerRequest = "final" | "stop";

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const { path, intervalMs, restartFrames } = workerData as CheckpointWorkerData;
const db = openConnection(path, { busyTimeoutMs: 0, queryOnly: false });
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
// What a pass could not copy (committed while it ran) that the last pass, with the writer held,
// may be left to copy: it stays short (about a megabyte) whatever the writer's pace.
const FINAL_PASS_FRAMES = 256;

function pass(): CheckpointResult | undefined {
  try {
    return checkpoint.get() as CheckpointResult;
  } catch {
    // Busy or locked by another checkpoint (another process): the next round copies it.
    return undefined;
  }
}

const post = (message: CheckpointWorkerMessage) => parentPort?.postMessage(message);

const timer = setInterval(() => {
  const result = pass();
  if (result === undefined || result.busy !== 0 || result.log < restartFrames) return;
  if (result.log - result.checkpointed <= FINAL_PASS_FRAMES) post({ type: "caught-up", frames: result.log });
}, intervalMs);

parentPort?.on("message", (message: CheckpointWorkerRequest) => {
  if (message === "final") {
    // The main thread's writer is held: this pass leaves nothing uncopied.
    pass();
    post({ type: "final-done" });
    return;
  }
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
