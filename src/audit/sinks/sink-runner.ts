// Feeds one sink from the store by cursor. The store is the system of record; a sink only ever
// reads it, so a slow or broken sink never blocks a request and never loses a record: it keeps
// its place (the cursor, committed after each delivered batch) and catches up when it recovers.
// Delivery is at least once; a sink that can tell what it already holds (the file sink) skips it.
// With several processes on one store, a lease makes one of them run each sink.
import type { Logger } from "pino";
import type { Store } from "../../store/store.js";
import { jsonLineOfStored } from "../jsonl.js";
import { describeCause } from "../unavailable.js";

export interface AuditSink {
  /** Names the sink's cursor and lease, e.g. "file:/var/log/coffer/audit.jsonl". */
  readonly name: string;
  /** Opens the sink; returns the last seq it already holds when it can tell. */
  open(): Promise<number | undefined>;
  /** Delivers JSON Lines durably; resolves once they are safe. */
  write(lines: string, firstSeq: number, lastSeq: number): Promise<void>;
  close(): Promise<void>;
}

export interface SinkStatus {
  name: string;
  state: "starting" | "delivering" | "standby" | "failing" | "stopped";
  /** The last seq delivered. */
  deliveredSeq: number;
  /** Records appended but not delivered yet (as of the last look at the chain head). */
  lagRecords: number;
  error?: string;
}

export interface SinkRunnerOptions {
  pollMs?: number;
  batch?: number;
  maxBackoffMs?: number;
}

const LEASE_TTL_MS = 30_000;
const LEASE_RENEW_MS = 5_000;

export class SinkRunner {
  private state: SinkStatus["state"] = "starting";
  private cursor = 0;
  private head = 0;
  private error: string | undefined;
  private opened = false;
  private stopped = false;
  private leaseRenewAt = 0;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly store: Store,
    private readonly sink: AuditSink,
    private readonly holder: string,
    private readonly log: Logger,
    options: SinkRunnerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.batch = options.batch ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  get lease(): string {
    return `audit-sink:${this.sink.name}`;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.state = "stopped";
    await this.store.releaseLease(this.lease, this.holder).catch(() => undefined);
    if (this.opened) await this.sink.close().catch(() => undefined);
  }

  status(): SinkStatus {
    const status: SinkStatus = {
      name: this.sink.name,
      state: this.state,
      deliveredSeq: this.cursor,
      lagRecords: Math.max(0, this.head - this.cursor),
    };
    if (this.error !== undefined) status.error = this.error;
    return status;
  }

  /** Delivers what is there now (one pass); true when it found anything. */
  async deliverOnce(): Promise<boolean> {
    const now = Date.now();
    if (now >= this.leaseRenewAt) {
      if (!(await this.store.tryLease(this.lease, this.holder, now, LEASE_TTL_MS))) {
        // Another process runs this sink; it must be the only writer.
        this.state = "standby";
        this.leaseRenewAt = 0;
        if (this.opened) {
          this.opened = false;
          await this.sink.close();
        }
        return false;
      }
      this.leaseRenewAt = now + LEASE_RENEW_MS;
    }
    // The head first, so the lag shows even while the sink cannot be opened.
    this.head = (await this.store.audit.chainHead()).seq;
    if (!this.opened) {
      const stored = await this.store.audit.getCursor(this.sink.name);
      this.cursor = Math.max(this.cursor, stored?.seq ?? 0);
      const held = await this.sink.open();
      this.opened = true;
      this.cursor = Math.max(this.cursor, held ?? 0);
    }
    const records = await this.store.audit.readRecords(this.cursor, this.batch);
    const last = records.at(-1);
    if (!last) {
      this.state = "delivering";
      return false;
    }
    let lines = "";
    for (const r of records) lines += jsonLineOfStored(r);
    await this.sink.write(lines, (records[0] as { seq: number }).seq, last.seq);
    this.cursor = last.seq;
    this.head = Math.max(this.head, last.seq);
    // Delivered: the status says so at once, so that health never shows the records delivered
    // and the old failure beside them (storing the cursor may fail on its own, and says so).
    this.state = "delivering";
    if (this.error !== undefined) {
      this.log.warn({ sink: this.sink.name, deliveredSeq: this.cursor, lagRecords: this.head - this.cursor }, "audit sink recovered");
      this.error = undefined;
    }
    await this.store.transaction((tx) => tx.audit.putCursor({ name: this.sink.name, seq: last.seq, updatedAt: now }));
    return true;
  }

  private async run(): Promise<void> {
    let backoff = this.pollMs;
    while (!this.stopped) {
      let wait = this.pollMs;
      try {
        if (await this.deliverOnce()) wait = 0;
        else if (this.state === "standby") wait = LEASE_RENEW_MS;
        backoff = this.pollMs;
      } catch (err) {
        const reason = describeCause(err);
        if (this.error === undefined) {
          this.log.error({ sink: this.sink.name, reason, deliveredSeq: this.cursor, lagRecords: this.head - this.cursor }, "audit sink failing; it keeps its place and retries");
        }
        this.error = reason;
        this.state = "failing";
        // A sink that failed mid-way is reopened: it may have lost its file or stream.
        if (this.opened) {
          await this.sink.close().catch(() => undefined);
          this.opened = false;
        }
        backoff = Math.min(this.maxBackoffMs, backoff * 2);
        wait = backoff;
      }
      if (wait > 0 && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          timer.unref();
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      } else if (!this.stopped) {
        await new Promise((r) => setImmediate(r)); // let requests in between batches
      }
    }
  }
}
