// The loop every background worker runs: a step every interval, never two at once, each
// failure reported and the loop kept going; on stop, the running step is awaited and the
// worker's leases in the store are released so another process can take over at once.
import type { StoreOps } from "./store.js";

export class LeaseLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly store: Pick<StoreOps, "releaseLease">,
    private readonly leases: readonly string[],
    private readonly holder: string,
    private readonly intervalMs: number,
    private readonly step: () => Promise<unknown>,
    private readonly failed: (err: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.step()
        .catch((err: Error) => this.failed(err))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    for (const lease of this.leases) await this.store.releaseLease(lease, this.holder).catch(() => undefined);
  }
}
