// Signs a digest of the chain every interval (§6.7, in digest.ts's Ed25519 form): the range
// appended since the previous digest, named by its last seq and hash, linked to the previous
// digest. A digest is made also for an empty period, as CloudTrail does, so a verifier can tell
// "nothing happened" from "records were removed". With several processes, a lease makes one of
// them the digester; the digest is made in a transaction holding the chain lock, so it names
// exactly the head at that instant.
import type { Logger } from "pino";
import type { Store } from "../store/store.js";
import { type Digest, makeDigest } from "./digest.js";
import type { SigningKey } from "./signing-key.js";
import { LeaseLoop } from "../store/lease-loop.js";

const LEASE = "audit-digest";

export class Digester {
  private readonly loop: LeaseLoop;

  constructor(
    private readonly store: Store,
    /** The key to sign with; undefined while it cannot be opened (sealed). */
    private readonly key: () => Promise<SigningKey | undefined>,
    private readonly intervalMs: number,
    private readonly holder: string,
    private readonly log: Logger,
  ) {
    this.loop = new LeaseLoop(this.store, [LEASE], this.holder, this.intervalMs, () => this.runOnce(), (err) =>
      this.log.error({ err: { name: err.name, message: err.message } }, "audit digest failed"),
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Makes the next digest if this process holds the lease and the interval has passed. */
  async runOnce(now = Date.now(), force = false): Promise<Digest | undefined> {
    if (!(await this.store.tryLease(LEASE, this.holder, now, Math.max(this.intervalMs * 3, 30_000)))) return undefined;
    const key = await this.key();
    if (!key) return undefined;
    return this.store.transaction(async (tx) => {
      const head = await tx.audit.chainHead();
      const previousRow = await tx.audit.latestDigest();
      const previous = previousRow === undefined ? undefined : (JSON.parse(previousRow.digest) as Digest);
      // Another process that held the lease a moment ago may have just made one.
      if (!force && previousRow !== undefined && now - previousRow.endTime < this.intervalMs * 0.9) return undefined;
      let startTime: number | string = now;
      if (previous) startTime = previous.endTime;
      else {
        const [first] = await tx.audit.readRecords(0, 1);
        if (first) startTime = Math.min(first.eventTime, now);
      }
      const firstSeq = previous ? previous.lastSeq + 1 : 1;
      const digest = makeDigest(
        { firstSeq, lastSeq: head.seq, lastHash: head.hash, startTime, endTime: now },
        previous,
        key.privateKey,
      );
      await tx.audit.insertDigest({
        id: (previousRow?.id ?? 0) + 1,
        firstSeq,
        lastSeq: head.seq,
        endTime: now,
        digest: JSON.stringify(digest),
      });
      return digest;
    });
  }
}
