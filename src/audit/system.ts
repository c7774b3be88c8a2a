// The audit trail of one server process with its background parts: the digest signer, retention,
// and the sinks. start.ts starts it before the listener and stops it after the last request.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Store } from "../store/store.js";
import { Digester } from "./digester.js";
import { LookupIndexer } from "./lookup-indexer.js";
import { Retention } from "./retention.js";
import { loadOrCreateSigningKey, type RootWrapper, type SigningKey } from "./signing-key.js";
import { FileSink } from "./sinks/file-sink.js";
import { type AuditSink, SinkRunner, type SinkStatus } from "./sinks/sink-runner.js";
import { StdoutSink } from "./sinks/stdout-sink.js";
import { AuditTrail, type AuditTrailHealth } from "./trail.js";

export interface AuditConfig {
  dataDir: string;
  /** JSON Lines file sink. */
  file: string | undefined;
  fileMaxBytes: number;
  fileMaxAgeSeconds: number;
  /** JSON Lines on standard output. */
  stdout: boolean;
  /** 0 keeps records forever. */
  retentionDays: number;
  digestIntervalSeconds: number;
  /** How the group commit of read and failure records is synced (see TransactionOptions). */
  readDurability: "full" | "process";
}

export interface AuditHealth extends AuditTrailHealth {
  sinks: SinkStatus[];
}

export const PUBLIC_KEY_FILE = "audit-public-key.pem";
const DAY_MS = 86_400_000;
/** How far the lookup index may fall behind: what a lookup scans beyond it. */
const LOOKUP_INDEX_INTERVAL_MS = 500;

export class AuditSystem {
  readonly trail: AuditTrail;
  private readonly holder = randomBytes(8).toString("hex");
  private readonly digester: Digester;
  private readonly indexer: LookupIndexer;
  private readonly retention: Retention | undefined;
  private readonly sinks: SinkRunner[];
  private publicKeyWritten = false;

  constructor(
    private readonly store: Store,
    private readonly root: RootWrapper,
    private readonly log: Logger,
    private readonly config: AuditConfig,
  ) {
    this.trail = new AuditTrail({ store, log, readDurability: config.readDurability });
    const intervalMs = config.digestIntervalSeconds * 1000;
    this.digester = new Digester(store, () => this.signingKey(), intervalMs, this.holder, log);
    this.indexer = new LookupIndexer(store, LOOKUP_INDEX_INTERVAL_MS, this.holder, log);
    const retentionMs = config.retentionDays * DAY_MS;
    // Retention looks as often as digests are made (each digest may free a range), at most hourly.
    this.retention =
      retentionMs > 0 ? new Retention(store, retentionMs, Math.min(intervalMs, 3_600_000), this.holder, log) : undefined;
    const sinks: AuditSink[] = [];
    if (config.file) sinks.push(new FileSink(config.file, { maxBytes: config.fileMaxBytes, maxAgeMs: config.fileMaxAgeSeconds * 1000 }));
    if (config.stdout) sinks.push(new StdoutSink());
    this.sinks = sinks.map((sink) => new SinkRunner(store, sink, this.holder, log));
  }

  /** Opens (or makes) the signing key unless sealed, and starts the workers. */
  async start(): Promise<void> {
    await this.signingKey();
    this.digester.start();
    this.indexer.start();
    this.retention?.start();
    for (const sink of this.sinks) sink.start();
  }

  health(): AuditHealth {
    return { ...this.trail.health(), sinks: this.sinks.map((s) => s.status()) };
  }

  /** After the listener closed: the last records are committed, then the workers stop. */
  async stop(): Promise<void> {
    await this.trail.drain();
    await this.digester.stop();
    await this.indexer.stop();
    await this.retention?.stop();
    await Promise.all(this.sinks.map((s) => s.stop()));
  }

  /**
   * Opened for each digest (hourly by default) and not kept, so sealing, which takes every key
   * out of memory, leaves none of this one behind either.
   */
  private async signingKey(): Promise<SigningKey | undefined> {
    if (this.root.sealed === true) return undefined;
    const key = await loadOrCreateSigningKey(this.store, this.root);
    if (key && !this.publicKeyWritten) {
      this.writePublicKey(key);
      this.publicKeyWritten = true;
    }
    return key;
  }

  /** The public half beside the data, for verifiers (`coffer audit public-key` prints it too). */
  private writePublicKey(key: SigningKey): void {
    try {
      writeFileSync(join(this.config.dataDir, PUBLIC_KEY_FILE), key.publicKeyPem, { mode: 0o644 });
    } catch (err) {
      this.log.warn({ reason: (err as Error).message }, "could not write the audit public key file");
    }
  }
}
