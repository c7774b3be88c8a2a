// Background work on keys. Every tick this process learns what other processes did to the root
// key (a rotation they started or finished); whoever holds the rotation lease advances a running
// root-key rotation a little (so requests keep being served, and a crashed holder's work is
// resumed by the next); and, every `keyScanMs`, whoever holds the KMS lease deletes keys whose
// waiting period ended and rotates key material that is due. Key changes go through the pipeline
// as the KMS service itself, so they are audited like any request.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { KeyCustody } from "../crypto/custody.js";
import type { RequestContext, ServiceDeps } from "../services/context.js";
import { PurgeScheduledKey, RotateDueKey } from "../services/kms/key-lifecycle.js";
import type { KeyRecord } from "../store/keys-ops.js";
import type { Pipeline } from "./pipeline.js";
import { LeaseLoop } from "../store/lease-loop.js";

const ROTATION_LEASE = "root-key-rotation";
const KMS_LEASE = "kms-key-work";
const BATCH = 100;
const KMS_PRINCIPAL = "kms.amazonaws.com";

export interface KeyWorkerOptions {
  /** How often to refresh root-key knowledge and advance a rotation. */
  tickMs: number;
  /** How often to look for keys due for deletion or rotation. */
  keyScanMs: number;
  /** How long a rotation waits, once nothing is left under the old key, before forgetting it. */
  rotationGraceMs: number;
}

export const DEFAULT_KEY_WORKER_OPTIONS: Omit<KeyWorkerOptions, "keyScanMs"> = { tickMs: 500, rotationGraceMs: 2_000 };

export class KeyWorker {
  private readonly loop: LeaseLoop;
  private nextKeyScan = 0;
  private readonly holder = randomBytes(8).toString("hex");

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pipeline: Pipeline,
    private readonly custody: KeyCustody,
    private readonly log: Logger,
    private readonly options: KeyWorkerOptions,
  ) {
    this.loop = new LeaseLoop(this.deps.store, [ROTATION_LEASE, KMS_LEASE], this.holder, this.options.tickMs, () => this.tick(), (err) =>
      this.log.error({ err: { name: err.name, message: err.message } }, "key worker failed"),
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async tick(): Promise<void> {
    if (this.custody.sealed) return;
    await this.custody.refresh();
    await this.advanceRootRotation();
    const now = Date.now();
    if (now >= this.nextKeyScan) {
      this.nextKeyScan = now + this.options.keyScanMs;
      await this.runDueKeyWork(now);
    }
  }

  private async advanceRootRotation(): Promise<void> {
    const rotation = await this.deps.store.keys.getRootRotation();
    if (!rotation || rotation.phase === "done") return;
    const now = Date.now();
    if (!(await this.deps.store.tryLease(ROTATION_LEASE, this.holder, now, Math.max(5_000, this.options.tickMs * 10)))) return;
    // Half a tick of work at a time keeps the event loop free for requests.
    const result = await this.custody.advance(now + this.options.tickMs / 2, this.options.rotationGraceMs);
    if (result.state === "finished") {
      this.log.info({ rotationId: result.record?.rotationId, rewrapped: result.record?.rewrapped }, "root-key rotation finished");
      await this.deps.store.releaseLease(ROTATION_LEASE, this.holder);
    }
  }

  /** Deletes keys whose waiting period ended and rotates material that is due; returns how many were acted on. */
  async runDueKeyWork(now: number): Promise<number> {
    if (!(await this.deps.store.tryLease(KMS_LEASE, this.holder, now, Math.max(this.options.keyScanMs * 3, 30_000)))) return 0;
    let acted = 0;
    for (const key of await this.deps.store.keys.listKeysDue(now, BATCH)) {
      const ctx = this.contextFor(key, now);
      if (key.state === "PendingDeletion" && key.deletionAt !== null && key.deletionAt <= now) {
        const result = await this.pipeline.runInternal(PurgeScheduledKey, { KeyArn: key.arn }, ctx, (r) =>
          r.Purged ? [{ eventName: "DeleteKey", accountId: key.accountId, region: key.region, time: now, resourceArn: key.arn }] : [],
        );
        if (result.Purged) acted++;
      } else if (key.rotationDueAt !== null && key.rotationDueAt <= now) {
        const result = await this.pipeline.runInternal(RotateDueKey, { KeyArn: key.arn }, ctx, (r) =>
          r.Rotated
            ? [
                {
                  eventName: "RotateKey",
                  accountId: key.accountId,
                  region: key.region,
                  time: now,
                  resourceArn: key.arn,
                  serviceEventDetails: {
                    rotationType: "AUTOMATIC",
                    keyOrigin: "AWS_KMS",
                    previousKeyMaterialId: r.PreviousMaterialId ?? null,
                    currentKeyMaterialId: r.CurrentMaterialId ?? null,
                  },
                },
              ]
            : [],
        );
        if (result.Rotated) acted++;
      }
    }
    if (acted > 0) this.log.info({ acted }, "deleted or rotated KMS keys that were due");
    return acted;
  }

  private contextFor(key: KeyRecord, now: number): RequestContext {
    return {
      requestId: randomBytes(16).toString("hex"),
      region: key.region,
      caller: { accountId: key.accountId, principalArn: KMS_PRINCIPAL, accessKeyId: "" },
      now,
      sourceIp: KMS_PRINCIPAL,
      userAgent: KMS_PRINCIPAL,
    };
  }
}
