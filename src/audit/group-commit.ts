// Group commit for the records of reads and failed calls: records handed in while the event loop
// is busy wait in a queue; when it turns idle (setImmediate), everything queued goes to the store
// as one transaction, so many records share one fsync. The caller's promise settles only once its
// record is durable, or fails with the transaction. Under load the batches grow by themselves (the
// longer a commit takes, the more arrives meanwhile); an idle server commits a lone record at once.
// A second batch may be on its way while one commits, so the store never waits for the event loop
// and the event loop never waits for the store. Batches are chained in the order they reach the
// chain lock.
import type { PreparedRecord } from "./append.js";
import type { ChainLink } from "./chain.js";

/** Appends a batch in one store transaction; resolves with the new chain head once it is durable. */
export type AppendBatch = (records: PreparedRecord[]) => Promise<ChainLink>;

interface Waiting {
  prepared: PreparedRecord;
  resolve(): void;
  reject(err: unknown): void;
}

export interface GroupCommitEvents {
  committed(head: ChainLink, count: number): void;
  failed(err: unknown, count: number): void;
}

export interface GroupCommitOptions {
  /** Most records per transaction: bounds the time one commit holds the writer. */
  maxBatch?: number;
  /** Batches sent and not yet committed. */
  maxInFlight?: number;
}

export class GroupCommit {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly appendBatch: AppendBatch,
    private readonly events: GroupCommitEvents,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

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
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatch);
      this.inFlight++;
      this.appendBatch(batch.map((w) => w.prepared)).then(
        (head) => {
          for (const w of batch) w.resolve();
          this.events.committed(head, batch.length);
          this.settled();
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
          this.events.failed(err, batch.length);
          this.settled();
        },
      );
    }
    this.checkIdle();
  }

  private settled(): void {
    this.inFlight--;
    if (this.queue.length > 0) this.schedule();
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.queue.length > 0 || this.inFlight > 0 || this.scheduled) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
