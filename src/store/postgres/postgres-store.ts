// The PostgreSQL backend, over a connection pool. Plain operations run on whichever pooled
// connection is free; a transaction holds one connection from BEGIN to COMMIT and locks the
// secrets it looks up (FOR UPDATE), so writers of one secret queue behind each other.

import pg from "pg";
import type { PoolClient, PoolConfig, QueryConfig } from "pg";
import { postgresMigrations } from "../migrations/postgres.js";
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
import { Semaphore } from "../semaphore.js";
import { applyMigrations } from "./migrate.js";
import { PgOps } from "./pg-ops.js";

export interface PostgresStoreOptions {
  /**
   * Called when an idle pooled connection fails (server restart, network cut). The pool already
   * drops that connection; without a listener the error would crash the process.
   */
  onIdleClientError?: (err: Error) => void;
}

/** node-postgres's own default pool size. */
const DEFAULT_POOL_SIZE = 10;
/** The longest a transaction waits for its turn. */
const TRANSACTION_WAIT_MS = 30_000;

export class PostgresStore implements Store {
  /** Plain reads of the feature stores (writes go through transaction()). */
  get audit() {
    return this.ops.audit;
  }
  get identity() {
    return this.ops.identity;
  }
  get keys() {
    return this.ops.keys;
  }

  readonly kind = "postgres" as const;

  private readonly pool: pg.Pool;
  private readonly ops: PgOps;
  /**
   * A transaction may also read through the pool (the keyring loading a key it has not cached
   * yet). Were every connection held by a transaction, that read would wait for one of them and
   * they, on its row locks, for it: the whole store would hang. At most all connections but two
   * hold a transaction at once, so plain reads always find a connection (and plain reads never
   * wait on row locks).
   */
  private readonly transactions: Semaphore;
  private closed = false;

  constructor(config: string | PoolConfig, options: PostgresStoreOptions = {}) {
    const poolConfig: PoolConfig = typeof config === "string" ? { connectionString: config } : config;
    this.pool = new pg.Pool(poolConfig);
    this.transactions = new Semaphore(
      Math.max(1, (poolConfig.max ?? DEFAULT_POOL_SIZE) - 2),
      (ms) => `no connection was free for a transaction for ${ms} ms (a transaction started inside another one waits on itself)`,
    );
    this.pool.on("error", (err) => options.onIdleClientError?.(err));
    this.ops = new PgOps((query) => this.pool.query(withStorableText(query)), false);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await applyMigrations(client, postgresMigrations);
      client.release();
    } catch (err) {
      // The connection may be left mid-transaction; do not hand it to anyone else.
      client.release(asError(err));
      throw err;
    }
  }

  async transaction<T>(fn: (tx: StoreOps) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    // Bounded, as the SQLite store's writer lock is: a nested transaction fails instead of hanging.
    await this.transactions.acquire(TRANSACTION_WAIT_MS);
    try {
      return await this.transactionOnConnection(fn, options);
    } finally {
      this.transactions.release();
    }
  }

  private async transactionOnConnection<T>(fn: (tx: StoreOps) => Promise<T>, options: TransactionOptions): Promise<T> {
    const client = await this.pool.connect();
    let active = true;
    const tx = new PgOps((query) => {
      if (!active) return Promise.reject(new Error("transaction handle used after its transaction ended"));
      return client.query(withStorableText(query));
    }, true);
    try {
      await client.query("BEGIN");
      // The commit returns once written, before PostgreSQL flushes its WAL (within ~3 wal_writer_delay).
      if (options.durability === "process") await client.query("SET LOCAL synchronous_commit = off");
    } catch (err) {
      client.release(asError(err));
      throw err;
    }
    // Set when the connection's state is unknown: it is then destroyed rather than reused.
    let broken: Error | undefined;
    try {
      let result: T;
      try {
        result = await fn(tx);
      } finally {
        // Stray calls still pending in `fn` must not run after COMMIT/ROLLBACK, outside the transaction.
        active = false;
      }
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch((rollbackErr: unknown) => {
        broken = asError(rollbackErr);
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  getAccount(accountId: string): Promise<AccountRow | undefined> {
    return this.ops.getAccount(accountId);
  }
  insertAccount(row: AccountRow): Promise<void> {
    return this.ops.insertAccount(row);
  }
  listAccounts(): Promise<AccountRow[]> {
    return this.ops.listAccounts();
  }
  getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined> {
    return this.ops.getAccessKey(accessKeyId);
  }
  insertAccessKey(row: AccessKeyRow): Promise<void> {
    return this.ops.insertAccessKey(row);
  }
  getKmsKey(accountId: string, region: string, keyId: string): Promise<KmsKeyRow | undefined> {
    return this.ops.getKmsKey(accountId, region, keyId);
  }
  getKmsKeyByAlias(accountId: string, region: string, alias: string): Promise<KmsKeyRow | undefined> {
    return this.ops.getKmsKeyByAlias(accountId, region, alias);
  }
  insertKmsKey(row: KmsKeyRow): Promise<void> {
    return this.ops.insertKmsKey(row);
  }
  getSetting(key: string): Promise<string | undefined> {
    return this.ops.getSetting(key);
  }
  putSetting(key: string, value: string): Promise<void> {
    return this.ops.putSetting(key, value);
  }
  getSecretByName(accountId: string, region: string, name: string): Promise<SecretRow | undefined> {
    return this.ops.getSecretByName(accountId, region, name);
  }
  getSecretByArn(arn: string): Promise<SecretRow | undefined> {
    return this.ops.getSecretByArn(arn);
  }
  insertSecret(row: SecretRow): Promise<void> {
    return this.ops.insertSecret(row);
  }
  updateSecret(row: SecretRow): Promise<void> {
    return this.ops.updateSecret(row);
  }
  deleteSecret(arn: string): Promise<void> {
    return this.ops.deleteSecret(arn);
  }
  listSecrets(query: SecretListQuery): Promise<SecretRow[]> {
    return this.ops.listSecrets(query);
  }
  listSecretsDueForPurge(now: number, limit: number): Promise<SecretRow[]> {
    return this.ops.listSecretsDueForPurge(now, limit);
  }
  countSecrets(accountId: string, region: string): Promise<number> {
    return this.ops.countSecrets(accountId, region);
  }
  listVersions(secretArn: string): Promise<VersionRow[]> {
    return this.ops.listVersions(secretArn);
  }
  countVersions(secretArn: string): Promise<number> {
    return this.ops.countVersions(secretArn);
  }
  oldestVersionIds(secretArn: string, limit: number): Promise<string[]> {
    return this.ops.oldestVersionIds(secretArn, limit);
  }
  getVersion(secretArn: string, versionId: string): Promise<VersionRow | undefined> {
    return this.ops.getVersion(secretArn, versionId);
  }
  insertVersion(row: VersionRow): Promise<void> {
    return this.ops.insertVersion(row);
  }
  updateVersionValue(secretArn: string, versionId: string, sealed: Buffer | null, kmsKeyId: string | null): Promise<void> {
    return this.ops.updateVersionValue(secretArn, versionId, sealed, kmsKeyId);
  }
  deleteVersion(secretArn: string, versionId: string): Promise<void> {
    return this.ops.deleteVersion(secretArn, versionId);
  }
  touchAccess(secretArn: string, versionId: string, day: number): Promise<void> {
    return this.ops.touchAccess(secretArn, versionId, day);
  }
  tryLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    return this.ops.tryLease(name, holder, now, ttlMs);
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return this.ops.releaseLease(name, holder);
  }
}

/**
 * PostgreSQL text cannot hold U+0000, and refuses the whole statement when a parameter has one.
 * Such a character only reaches a text column from a request that failed validation (a name
 * in its audit record's lookup columns, a lookup for a name no secret can have): it is stored
 * and compared as U+FFFD instead, so the statement goes through. Records themselves are JSON
 * text, where it is escaped.
 */
function withStorableText(query: QueryConfig<unknown[]>): QueryConfig<unknown[]> {
  const { values } = query;
  if (values === undefined || !values.some(hasNul)) return query;
  return { ...query, values: values.map(storableText) };
}

const hasNul = (value: unknown): boolean =>
  typeof value === "string" ? value.includes("\u0000") : Array.isArray(value) && value.some(hasNul);

const storableText = (value: unknown): unknown =>
  typeof value === "string" ? value.replaceAll("\u0000", "\ufffd") : Array.isArray(value) ? value.map(storableText) : value;

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
