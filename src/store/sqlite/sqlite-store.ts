// The SQLite backend. One writer connection runs every write, one transaction at a time
// (an in-process mutex plus BEGIN IMMEDIATE against other processes); a separate reader
// connection serves the Store's plain reads from the last committed WAL snapshot, so a reader
// never sees a write that is still in flight.

import { sqliteMigrations } from "../migrations/sqlite.js";
import type {
  AccessKeyRow,
  AccountRow,
  KmsKeyRow,
  SecretListQuery,
  SecretRow,
  Store,
  TransactionOptions,
  StoreOps,
  VersionRow,
} from "../store.js";
import { StatementCache, openConnection } from "./connection.js";
import type { Connection } from "./connection.js";
import { applyMigrations } from "./migrate.js";
import { Checkpointer } from "./checkpointer.js";
import { Mutex } from "./mutex.js";
import { type BatchWriter, WriteBatches } from "./write-batches.js";
import { SqliteOps } from "./sqlite-ops.js";
import { GENERATION_SQL, ReadCache } from "./read-cache.js";

export interface SqliteStoreOptions {
  /** How long a write waits for another process holding the write lock. Default 10 s. */
  busyTimeoutMs?: number;
  /** How long a write waits for this process's other transactions. Default 30 s. */
  lockTimeoutMs?: number;
}

export class SqliteStore implements Store {
  /** Plain reads of the feature stores (writes go through transaction()). */
  get audit() {
    return this.reads.audit;
  }
  get identity() {
    return this.reads.identity;
  }
  get keys() {
    return this.reads.keys;
  }

  readonly kind = "sqlite" as const;

  private readonly writer: Connection;
  private readonly reader: Connection;
  private readonly writerStatements: StatementCache;
  private readonly reads: SqliteOps;
  private readonly cache: ReadCache;
  private readonly mutex = new Mutex();
  private readonly lockTimeoutMs: number;
  private readonly batches: WriteBatches<StoreOps>;
  private readonly checkpointer: Checkpointer;
  private closed = false;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    if (path === "" || path === ":memory:") {
      // Each connection would get its own empty in-memory database.
      throw new Error("SqliteStore needs a file path; in-memory databases cannot be shared by two connections");
    }
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    this.writer = openConnection(path, { busyTimeoutMs, queryOnly: false });
    try {
      this.reader = openConnection(path, { busyTimeoutMs, queryOnly: true });
    } catch (err) {
      this.writer.close();
      throw err;
    }
    this.writerStatements = new StatementCache(this.writer);
    this.reads = new SqliteOps(new StatementCache(this.reader), () => this.assertOpen());
    this.cache = new ReadCache(this.reader);
    this.batches = new WriteBatches(this.batchWriter(), {
      maxBatch: 256,
      waitTimeoutMs: this.lockTimeoutMs,
      exclusive: (fn) => this.exclusive(fn),
      assertOpen: () => this.assertOpen(),
    });
    this.checkpointer = new Checkpointer(this.writer, path, { holdWriter: (fn) => this.exclusive(fn) });
  }

  async migrate(): Promise<void> {
    await this.exclusive(() => applyMigrations(this.writer, sqliteMigrations));
  }

  /**
   * Writes go through group commit (write-batches.ts): concurrent transactions share one COMMIT,
   * each in a savepoint of its own, and each resolves only once that COMMIT is durable.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.batches.run(fn, options.durability !== "process");
  }

  /** The writer connection as the batches use it. */
  private batchWriter(): BatchWriter<StoreOps> {
    const run = (sql: string) => this.writerStatements.get(sql).run();
    let synchronousFull = true;
    return {
      begin: (full) => {
        // In WAL mode, synchronous=NORMAL commits without fsync: the commit is in the WAL (and
        // so survives the process) and is synced by the next FULL commit or checkpoint.
        if (full !== synchronousFull) {
          run(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
          synchronousFull = full;
        }
        run("BEGIN IMMEDIATE");
      },
      open: () => {
        let active = true;
        const tx = new SqliteOps(this.writerStatements, () => {
          if (!active) throw new Error("transaction handle used after its transaction ended");
        });
        return { tx, end: () => (active = false) };
      },
      savepoint: () => run("SAVEPOINT write_batch_member"),
      release: () => run("RELEASE write_batch_member"),
      undo: () => {
        run("ROLLBACK TO write_batch_member");
        run("RELEASE write_batch_member");
      },
      inTransaction: () => this.writer.inTransaction,
      commit: () => run("COMMIT"),
      rollback: () => run("ROLLBACK"),
      committed: () => this.cache.committed(this.writerStatements.get(GENERATION_SQL).pluck().get()),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Let the running and queued transactions finish first.
    await this.mutex.acquire();
    try {
      if (this.closed) return;
      this.closed = true;
      await this.checkpointer.stop();
      this.reader.close();
      this.writer.close();
    } finally {
      this.mutex.release();
    }
  }

  /**
   * Runs `fn` while holding the writer. (An AsyncLocalStorage could tell a nested write from a
   * concurrent one at once, but on Node 20 it turns on promise hooks that cost every request of
   * the process; a bounded wait turns the nested case into an error instead.)
   */
  private async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    this.assertOpen();
    await this.mutex.acquire(this.lockTimeoutMs);
    try {
      this.assertOpen();
      return await fn();
    } finally {
      this.mutex.release();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("store is closed");
  }

  // Plain reads: the reader connection, no lock.
  getAccount(accountId: string): Promise<AccountRow | undefined> {
    return this.reads.getAccount(accountId);
  }
  listAccounts(): Promise<AccountRow[]> {
    return this.reads.listAccounts();
  }
  getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined> {
    return this.reads.getAccessKey(accessKeyId);
  }
  getKmsKey(accountId: string, region: string, keyId: string): Promise<KmsKeyRow | undefined> {
    return this.reads.getKmsKey(accountId, region, keyId);
  }
  getKmsKeyByAlias(accountId: string, region: string, alias: string): Promise<KmsKeyRow | undefined> {
    return this.reads.getKmsKeyByAlias(accountId, region, alias);
  }
  getSetting(key: string): Promise<string | undefined> {
    return this.reads.getSetting(key);
  }
  async getSecretByName(accountId: string, region: string, name: string): Promise<SecretRow | undefined> {
    this.assertOpen();
    return this.cache.secretByName(accountId, region, name, () => this.reads.secretByNameNow(accountId, region, name));
  }
  getSecretByArn(arn: string): Promise<SecretRow | undefined> {
    return this.reads.getSecretByArn(arn);
  }
  listSecrets(query: SecretListQuery): Promise<SecretRow[]> {
    return this.reads.listSecrets(query);
  }
  listSecretsDueForPurge(now: number, limit: number): Promise<SecretRow[]> {
    return this.reads.listSecretsDueForPurge(now, limit);
  }
  countSecrets(accountId: string, region: string): Promise<number> {
    return this.reads.countSecrets(accountId, region);
  }
  listVersions(secretArn: string): Promise<VersionRow[]> {
    return this.reads.listVersions(secretArn);
  }
  countVersions(secretArn: string): Promise<number> {
    return this.reads.countVersions(secretArn);
  }
  oldestVersionIds(secretArn: string, limit: number): Promise<string[]> {
    return this.reads.oldestVersionIds(secretArn, limit);
  }
  async getVersion(secretArn: string, versionId: string): Promise<VersionRow | undefined> {
    this.assertOpen();
    return this.cache.version(secretArn, versionId, () => this.reads.versionNow(secretArn, versionId));
  }

  // Plain writes: a one-operation transaction on the writer.
  insertAccount(row: AccountRow): Promise<void> {
    return this.transaction((tx) => tx.insertAccount(row));
  }
  insertAccessKey(row: AccessKeyRow): Promise<void> {
    return this.transaction((tx) => tx.insertAccessKey(row));
  }
  insertKmsKey(row: KmsKeyRow): Promise<void> {
    return this.transaction((tx) => tx.insertKmsKey(row));
  }
  putSetting(key: string, value: string): Promise<void> {
    return this.transaction((tx) => tx.putSetting(key, value));
  }
  insertSecret(row: SecretRow): Promise<void> {
    return this.transaction((tx) => tx.insertSecret(row));
  }
  updateSecret(row: SecretRow): Promise<void> {
    return this.transaction((tx) => tx.updateSecret(row));
  }
  deleteSecret(arn: string): Promise<void> {
    return this.transaction((tx) => tx.deleteSecret(arn));
  }
  insertVersion(row: VersionRow): Promise<void> {
    return this.transaction((tx) => tx.insertVersion(row));
  }
  updateVersionValue(secretArn: string, versionId: string, sealed: Buffer | null, kmsKeyId: string | null): Promise<void> {
    return this.transaction((tx) => tx.updateVersionValue(secretArn, versionId, sealed, kmsKeyId));
  }
  deleteVersion(secretArn: string, versionId: string): Promise<void> {
    return this.transaction((tx) => tx.deleteVersion(secretArn, versionId));
  }
  touchAccess(secretArn: string, versionId: string, day: number): Promise<void> {
    return this.transaction((tx) => tx.touchAccess(secretArn, versionId, day));
  }
  tryLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    return this.transaction((tx) => tx.tryLease(name, holder, now, ttlMs));
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return this.transaction((tx) => tx.releaseLease(name, holder));
  }
}
