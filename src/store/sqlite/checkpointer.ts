// WAL checkpoints away from the request path. SQLite's automatic checkpoint runs inside the
// COMMIT that crosses its threshold, on the committing connection: the writer (and so the event
// loop) stops for milliseconds to copy the WAL into the database file and fsync it, once every
// few hundred commits. Here the writer's automatic checkpoint is off and a worker thread with a
// connection of its own checkpoints on a timer instead. Should that thread end unexpectedly, the
// writer goes back to checkpointing itself, so the WAL never grows without bound.
//
// The thread alone would let the WAL grow under steady writes: SQLite restarts it only when a
// write transaction begins with every frame copied. When the thread reports a long WAL it has
// caught up with, the writer is held (no transaction begins; requests go on, only their writes
// wait) while one last pass copies what was committed meanwhile: a few milliseconds, after which
// the writer's next transaction writes from the WAL's beginning again, over pages still cached.
// A WAL that grew long in a burst is cut back to WAL_SIZE_LIMIT_BYTES when it restarts.
import { Worker } from "node:worker_threads";
import type { Connection } from "./connection.js";
import type { CheckpointWorkerData, CheckpointWorkerMessage, CheckpointWorkerRequest } from "./checkpoint-worker.js";

/** SQLite's own default threshold, in pages, for a writer that checkpoints itself. */
const AUTOCHECKPOINT_PAGES = 1000;
/** A WAL this long (frames of a 4 KiB page: 16 MiB) is restarted once a pass has caught up. */
const RESTART_FRAMES = 4096;
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** The longest the writer is held for the last pass before a restart. */
const FINAL_PASS_TIMEOUT_MS = 2000;

export interface CheckpointerOptions {
  intervalMs?: number;
  restartFrames?: number;
  /**
   * Runs `fn` while no write transaction can begin on the writer (the store's writer lock).
   * Without it the WAL is still copied, but restarted only when writes pause by themselves.
   */
  holdWriter?: (fn: () => Promise<void>) => Promise<void>;
}

export class Checkpointer {
  private readonly worker: Worker;
  private stopping = false;
  private restarting = false;
  /** The WAL length the last restart was prepared at: an idle WAL is not prepared again. */
  private preparedAtFrames = -1;
  private finalPassDone: (() => void) | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly writer: Connection,
    path: string,
    private readonly options: CheckpointerOptions = {},
  ) {
    writer.pragma("wal_autocheckpoint = 0");
    writer.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const workerData: CheckpointWorkerData = {
      path,
      intervalMs: options.intervalMs ?? 100,
      restartFrames: options.restartFrames ?? RESTART_FRAMES,
    };
    this.worker = new Worker(new URL("./checkpoint-worker.js", import.meta.url), { workerData });
    // It must not keep a process alive that is otherwise done.
    this.worker.unref();
    this.worker.on("error", () => undefined); // the exit handler below takes over
    this.worker.on("message", (message: CheckpointWorkerMessage) => this.received(message));
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", () => {
        this.finalPassDone?.();
        if (!this.stopping && writer.open) writer.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        resolve();
      });
    });
  }

  /** Ends the thread (its connection closed) before the store closes its own connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.ref(); // held until it has gone, or an otherwise idle process would not wait
    this.send("stop");
    await this.exited;
  }

  private received(message: CheckpointWorkerMessage): void {
    if (message.type === "final-done") {
      this.finalPassDone?.();
      return;
    }
    const { holdWriter } = this.options;
    if (this.restarting || this.stopping || holdWriter === undefined) return;
    // No write since the last time: the writer's next transaction restarts the WAL anyway.
    if (message.frames === this.preparedAtFrames) return;
    this.preparedAtFrames = message.frames;
    this.restarting = true;
    holdWriter(() => this.finalPass())
      .catch(() => undefined) // the store is closing: nothing to restart
      .finally(() => (this.restarting = false));
  }

  private finalPass(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.finalPassDone?.(), FINAL_PASS_TIMEOUT_MS);
      this.finalPassDone = () => {
        clearTimeout(timer);
        this.finalPassDone = undefined;
        resolve();
      };
      this.send("final");
    });
  }

  private send(request: CheckpointWorkerRequest): void {
    this.worker.postMessage(request);
  }
}
