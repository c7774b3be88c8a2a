// A FIFO async mutex. better-sqlite3 is synchronous, but a transaction's body is async and may
// await between statements; this keeps a second transaction from starting on the same
// connection in the meantime.

export class Mutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  /**
   * Waits for the lock, at most `timeoutMs`: a transaction body that waits on the store's own
   * writer (a nested transaction) would otherwise wait forever; it gets an error instead.
   */
  async acquire(timeoutMs = Infinity): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.waiters.push(waiter);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(new Error(`the store's writer stayed busy for ${timeoutMs} ms (a write started inside a transaction waits on itself)`));
        }, timeoutMs);
      }
    });
  }

  /** Hands the lock straight to the next waiter, so no newcomer can barge in between. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}
