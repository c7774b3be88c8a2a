// How a group commit reaches the store. In process, for PostgreSQL (its driver is asynchronous:
// a commit never blocks the event loop); on a worker thread with its own connection, for SQLite,
// whose driver is synchronous: there a commit's fsync would stall every request of the process.
import { Worker } from "node:worker_threads";
import type { Store } from "../store/store.js";
import { appendPrepared, type PreparedRecord } from "./append.js";
import type { ChainLink } from "./chain.js";

export interface BatchAppender {
  /** Appends the batch in one transaction; resolves with the new chain head once it is durable. */
  append(records: PreparedRecord[]): Promise<ChainLink>;
  close(): Promise<void>;
}

export class InProcessAppender implements BatchAppender {
  constructor(private readonly store: Store) {}

  append(records: PreparedRecord[]): Promise<ChainLink> {
    return this.store.transaction((tx) => appendPrepared(tx.audit, records));
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve(head: ChainLink): void;
  reject(err: Error): void;
}

export class ThreadAppender implements BatchAppender {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly storeUrl: string) {}

  async append(records: PreparedRecord[]): Promise<ChainLink> {
    const worker = await this.start();
    return new Promise<ChainLink>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, records });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.ready = undefined;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage("close");
    // A worker that does not finish closing its store in time is stopped.
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }

  private start(): Promise<Worker> {
    if (this.worker && this.ready) {
      const worker = this.worker;
      return this.ready.then(() => worker);
    }
    const worker = new Worker(new URL("./append-thread.js", import.meta.url), { workerData: { storeUrl: this.storeUrl } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
    worker.on("message", (message: { id?: number; head?: ChainLink; error?: string }) => {
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.head) waiting.resolve(message.head);
      else waiting.reject(new Error(message.error ?? "the audit append thread failed"));
    });
    // A thread that dies fails what it held; the next batch starts a new one.
    worker.on("error", (err) => this.fail(worker, err));
    worker.on("exit", (code) => this.fail(worker, new Error(`the audit append thread exited with ${code}`)));
    worker.unref();
    return this.ready.then(() => worker);
  }

  private fail(worker: Worker, err: Error): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = undefined;
    }
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(err);
    }
  }
}
