// A FIFO async semaphore: at most `limit` holders at once; the rest wait in arrival order.

export class Semaphore {
  private holders = 0;
  private readonly waiters: Array<() => void> = [];

  /**
   * @param limit how many may hold it at once
   * @param timeoutMessage the error a waiter whose `acquire` timed out is rejected with
   */
  constructor(
    private readonly limit: number,
    private readonly timeoutMessage: (timeoutMs: number) => string = (ms) => `waited ${ms} ms for a free slot`,
  ) {
    if (!(limit >= 1)) throw new RangeError(`a semaphore needs a limit of at least 1, not ${limit}`);
  }

  /** Waits for a slot, at most `timeoutMs`. */
  async acquire(timeoutMs = Infinity): Promise<void> {
    if (this.holders < this.limit) {
      this.holders++;
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
          reject(new Error(this.timeoutMessage(timeoutMs)));
        }, timeoutMs);
      }
    });
  }

  /** Hands the slot straight to the next waiter, so no newcomer can barge in between. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.holders--;
  }
}
