// Group commit for the records of reads and failed calls: records handed in while the event loop
// is busy wait in a queue; when it turns idle (setImmediate), everything queued is appended in
// one store transaction, so many records share one fsync. The caller's promise settles only once
// its record is durable, or fails with the transaction. Under load the batches grow by
// themselves (the longer a commit takes, the more arrives meanwhile); an idle server commits a
// lone record at once.
import type { Store } from "../store/store.js";
import { appendPrepared, type PreparedRecord } from "./append.js";
import type { ChainLink } from "./chain.js";

interface Waiting {
  prepared: PreparedRecord;
  resolve(): void;
  reject(err: unknown): void;
}

export interface GroupCommitEvents {
  committed(head: ChainLink, count: number): void;
  failed(err: unknown, count: number): void;
}

export class GroupCommit {
  private queue: Waiting[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly events: GroupCommitEvents,
    /** Most records per transaction: bounds the time one commit holds the writer. */
    private readonly maxBatch = 512,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once `prepared` is committed; rejects with the store's error otherwise. */
  append(prepared: PreparedRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject });
      this.schedule();
    });
  }

  /** Waits until everything handed in so far has been committed or has failed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) {
      if (this.flushing) await this.flushing;
      else await new Promise((r) => setImmediate(r));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatch);
      try {
        const head = await this.store.transaction((tx) => appendPrepared(tx.audit, batch.map((w) => w.prepared)));
        for (const w of batch) w.resolve();
        this.events.committed(head, batch.length);
      } catch (err) {
        for (const w of batch) w.reject(err);
        this.events.failed(err, batch.length);
      }
    }
  }
}
