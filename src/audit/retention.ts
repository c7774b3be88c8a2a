// Deletes records older than the retention period, but only through the end of a digest that is
// kept: the first remaining record then links to that digest's lastSeq/lastHash, so what remains
// still verifies from a signed anchor. Records a sink has not delivered yet are kept too (a sink
// counts while it has reported progress within the retention period). Digests are tiny and kept.
import type { Logger } from "pino";
import type { Store } from "../store/store.js";
import { LeaseLoop } from "../store/lease-loop.js";

const LEASE = "audit-retention";
const BATCH = 1000;

export class Retention {
  private readonly loop: LeaseLoop;

  constructor(
    private readonly store: Store,
    private readonly retentionMs: number,
    private readonly intervalMs: number,
    private readonly holder: string,
    private readonly log: Logger,
  ) {
    this.loop = new LeaseLoop(this.store, [LEASE], this.holder, this.intervalMs, () => this.runOnce(), (err) =>
      this.log.error({ err: { name: err.name, message: err.message } }, "audit retention failed"),
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Deletes what may go; returns how many records were deleted. */
  async runOnce(now = Date.now()): Promise<number> {
    if (!(await this.store.tryLease(LEASE, this.holder, now, Math.max(this.intervalMs * 3, 30_000)))) return 0;
    const cutoff = now - this.retentionMs;
    let undelivered = Number.MAX_SAFE_INTEGER;
    for (const cursor of await this.store.audit.listCursors()) {
      if (cursor.updatedAt >= cutoff) undelivered = Math.min(undelivered, cursor.seq);
    }
    const anchor = await this.store.audit.latestDigestWithin(cutoff, undelivered);
    if (!anchor) return 0;
    let deleted = 0;
    for (;;) {
      const n = await this.store.transaction((tx) => tx.audit.deleteRecordsThrough(anchor.lastSeq, BATCH));
      deleted += n;
      if (n < BATCH) break;
    }
    if (deleted > 0) this.log.info({ deleted, throughSeq: anchor.lastSeq, digest: anchor.id }, "audit records past their retention deleted");
    return deleted;
  }
}
