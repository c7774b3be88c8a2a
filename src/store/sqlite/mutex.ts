// A FIFO async mutex. better-sqlite3 is synchronous, but a transaction's body is async and may
// await between statements; this keeps a second transaction from starting on the same
// connection in the meantime. `acquire(timeoutMs)` bounds the wait: a transaction body that
// waits on the store's own writer (a nested transaction) would otherwise wait forever; it gets
// an error instead.
import { Semaphore } from "../semaphore.js";

export class Mutex extends Semaphore {
  constructor() {
    super(1, (ms) => `the store's writer stayed busy for ${ms} ms (a write started inside a transaction waits on itself)`);
  }
}
