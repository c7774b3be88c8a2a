// Group commit for the SQLite writer. Transactions handed in while the writer is busy (or within
// the same event-loop turn) run one after another inside a single SQLite transaction, each in a
// savepoint of its own, and share its COMMIT: one WAL fsync for the whole batch instead of one
// per write. Each member (after the first) runs in a savepoint and keeps the meaning of a
// transaction of its own:
//  - it sees the members before it (it runs after them on the same connection), as it would
//    have seen them had they committed first;
//  - when it throws, only its savepoint is rolled back and it fails alone;
//  - its promise resolves only after the batch's COMMIT has returned, so a resolved write is as
//    durable as before; if the COMMIT fails, every member of the batch fails with it.
// A batch is as durable as its first member asks: a "full" batch takes any member, a "process"
// batch (NORMAL, no fsync) only "process" members, so nothing that asked for an fsync goes
// without one.

/** What the batches need from the store's writer connection. */
export interface BatchWriter<Tx> {
  /** BEGIN IMMEDIATE, with the commit durability the batch needs. */
  begin(full: boolean): void;
  /** A transaction handle for one member; `end()` makes it unusable. */
  open(): { tx: Tx; end(): void };
  savepoint(): void;
  release(): void;
  /** Rolls back to the member's savepoint and releases it. */
  undo(): void;
  inTransaction(): boolean;
  commit(): void;
  rollback(): void;
  /** After a COMMIT that succeeded (read caches). */
  committed(): void;
}

export interface WriteBatchesOptions {
  /** Most members per batch: bounds how long one batch holds the writer. */
  maxBatch: number;
  /**
   * How long a member may wait for the writer. A transaction started from inside another one
   * waits on itself; it fails after this instead of hanging.
   */
  waitTimeoutMs: number;
  /** Holds the writer against the store's other exclusive work (migrations, close). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Throws when the store is closed. */
  assertOpen(): void;
}

interface Member<Tx> {
  fn: (tx: Tx) => Promise<unknown>;
  full: boolean;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout | undefined;
}

export class WriteBatches<Tx> {
  private queue: Member<Tx>[] = [];
  private draining = false;

  constructor(
    private readonly writer: BatchWriter<Tx>,
    private readonly options: WriteBatchesOptions,
  ) {}

  run<T>(fn: (tx: Tx) => Promise<T>, full: boolean): Promise<T> {
    this.options.assertOpen();
    return new Promise<T>((resolve, reject) => {
      const member: Member<Tx> = { fn, full, resolve: resolve as (value: unknown) => void, reject, timer: undefined };
      this.queue.push(member);
      if (this.draining) {
        member.timer = setTimeout(() => this.giveUp(member), this.options.waitTimeoutMs);
      } else {
        this.draining = true;
        // The next turn, so that the writes of every request read in this one join the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private giveUp(member: Member<Tx>): void {
    const at = this.queue.indexOf(member);
    if (at === -1) return;
    this.queue.splice(at, 1);
    member.reject(
      new Error(`the store's writer stayed busy for ${this.options.waitTimeoutMs} ms (a write started inside a transaction waits on itself)`),
    );
  }

  private take(): Member<Tx> | undefined {
    const member = this.queue.shift();
    if (member?.timer !== undefined) clearTimeout(member.timer);
    return member;
  }

  private async drain(): Promise<void> {
    try {
      await this.options.exclusive(async () => {
        for (let first = this.take(); first !== undefined; first = this.take()) await this.runBatch(first);
      });
    } catch (err) {
      // The store closed (or the writer could not be had): nothing queued can run.
      for (let member = this.take(); member !== undefined; member = this.take()) member.reject(err);
    } finally {
      this.draining = false;
      // Members handed in while the loop above was winding down (between its last look at the
      // queue and here) would otherwise wait for a drain that is not coming.
      if (this.queue.length > 0) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    }
  }

  private nextMember(full: boolean): Member<Tx> | undefined {
    const next = this.queue[0];
    if (next === undefined || (next.full && !full)) return undefined;
    return this.take();
  }

  private async runBatch(first: Member<Tx>): Promise<void> {
    const { writer } = this;
    const full = first.full;
    try {
      this.options.assertOpen();
      writer.begin(full);
    } catch (err) {
      first.reject(err);
      return;
    }
    const done: Array<{ member: Member<Tx>; value: unknown }> = [];
    const failBatch = (err: unknown) => {
      if (writer.inTransaction()) writer.rollback();
      for (const d of done) d.member.reject(err);
    };
    let member: Member<Tx> | undefined = first;
    let count = 0;
    try {
      while (member !== undefined) {
        count++;
        // The first member needs no savepoint: undoing it is rolling back the transaction.
        const alone = count === 1;
        const handle = writer.open();
        if (!alone) writer.savepoint();
        try {
          const value = await member.fn(handle.tx);
          handle.end();
          if (!alone) writer.release();
          done.push({ member, value });
        } catch (err) {
          handle.end();
          const failed: Member<Tx> = member;
          member = undefined;
          failed.reject(err);
          if (!writer.inTransaction()) {
            // SQLite rolled the whole transaction back by itself (SQLITE_FULL, an I/O error):
            // the members before this one are gone too.
            failBatch(err);
            return;
          }
          if (alone) {
            // Nothing else is in this transaction; the queue goes on in the next batch.
            writer.rollback();
            return;
          }
          writer.undo();
        }
        member = count < this.options.maxBatch ? this.nextMember(full) : undefined;
      }
      writer.commit();
    } catch (err) {
      // The COMMIT (or a savepoint statement) failed: nothing of the batch is stored.
      member?.reject(err);
      try {
        failBatch(err);
      } catch (rollbackErr) {
        for (const d of done) d.member.reject(rollbackErr);
      }
      return;
    }
    writer.committed();
    for (const d of done) d.member.resolve(d.value);
  }
}
