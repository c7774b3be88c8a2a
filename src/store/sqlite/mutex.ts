// A FIFO async mutex. better-sqlite3 is synchronous, but a transaction's body is async and may
// await between statements; this keeps a second transaction from starting on the same
// connection in the meantime.

export class Mutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock straight to the next waiter, so no newcomer can barge in between. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}
