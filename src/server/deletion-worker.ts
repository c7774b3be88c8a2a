// Purges secrets whose recovery window has ended. With several processes on one store, a lease
// makes one of them do it; a crashed holder's lease expires and another takes over.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { PurgeScheduledSecret } from "../services/secretsmanager/purge-secret.js";
import type { RequestContext, ServiceDeps } from "../services/context.js";
import type { Pipeline } from "./pipeline.js";
import { LeaseLoop } from "../store/lease-loop.js";

const LEASE = "deletion-purge";
const BATCH = 100;

export class DeletionWorker {
  private readonly loop: LeaseLoop;
  private readonly holder = randomBytes(8).toString("hex");

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pipeline: Pipeline,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {
    this.loop = new LeaseLoop(this.deps.store, [LEASE], this.holder, this.intervalMs, () => this.runOnce(), (err) =>
      this.log.error({ err: { name: err.name, message: err.message } }, "deletion worker failed"),
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async runOnce(): Promise<number> {
    const now = Date.now();
    if (!(await this.deps.store.tryLease(LEASE, this.holder, now, Math.max(this.intervalMs * 3, 30_000)))) return 0;
    let purged = 0;
    for (const secret of await this.deps.store.listSecretsDueForPurge(now, BATCH)) {
      // The worker acts as the system on the secret's account, through the same operation code path.
      const ctx: RequestContext = {
        requestId: randomBytes(16).toString("hex"),
        region: secret.region,
        caller: { accountId: secret.accountId, principalArn: "secretsmanager.amazonaws.com", accessKeyId: "" },
        now,
        sourceIp: "secretsmanager.amazonaws.com",
        userAgent: "secretsmanager.amazonaws.com",
      };
      // The deletion is a service event (§6.4), committed in the purge's own transaction.
      const result = await this.pipeline.runInternal(PurgeScheduledSecret, { SecretArn: secret.arn }, ctx, (outcome) =>
        outcome.Purged
          ? [{ eventName: "EndSecretVersionDelete", accountId: secret.accountId, region: secret.region, time: Date.now(), resourceArn: secret.arn }]
          : [],
      );
      if (result.Purged) purged++;
    }
    if (purged > 0) this.log.info({ purged }, "purged secrets whose recovery window ended");
    return purged;
  }
}
