// The storage contract. A Store knows tables, never business rules, and only ever sees
// ciphertext for secret values and key material. Every backend (sqlite/, postgres/) passes
// the one contract suite in store.contract.ts.
//
// Times are integer milliseconds since the Unix epoch. JSON-typed fields are stored as text
// and handed back parsed; the store never looks inside them.

import type { AuditOps } from "./audit-ops.js";
import type { IdentityOps } from "./identity-ops.js";
import type { KeyOps } from "./keys-ops.js";

/** Everything about a secret except its versions' values. One row per secret. */
export interface SecretRow {
  accountId: string;
  region: string;
  arn: string;
  name: string;
  createdAt: number;
  lastChangedAt: number;
  /** UTC midnight of the last value read, or null when never read. */
  lastAccessedAt: number | null;
  /** Set while the secret is scheduled for deletion. */
  deletedAt: number | null;
  /** When the purge is due (deletedAt + recovery window). */
  deletionAt: number | null;
  /**
   * Staging labels: label → versionId. One map per secret makes "a label is on at most one
   * version" true by construction.
   */
  stages: Record<string, string>;
  /** Everything else (description, KMS key, tags, policy, rotation settings, …); opaque to the store. */
  meta: Record<string, unknown>;
}

/** One version of a secret. Immutable once written except for lastAccessedAt. */
export interface VersionRow {
  secretArn: string;
  versionId: string;
  createdAt: number;
  lastAccessedAt: number | null;
  /** The KMS key the data key is wrapped under (null = the account's AWS-managed key). */
  kmsKeyId: string | null;
  /** The sealed value: envelope bytes (format owned by crypto/envelope.ts). Null for a value-less placeholder. */
  sealed: Buffer | null;
}

export interface AccountRow {
  accountId: string;
  name: string;
  createdAt: number;
}

export interface AccessKeyRow {
  accessKeyId: string;
  accountId: string;
  /** ARN of the principal the key belongs to (the account root for bootstrap keys). */
  principalArn: string;
  /** The secret access key sealed under the root key (never stored in plaintext). */
  sealedSecret: Buffer;
  status: "Active" | "Inactive";
  createdAt: number;
}

/** Key material of a KMS key, wrapped under the root key. */
export interface KmsKeyRow {
  accountId: string;
  region: string;
  keyId: string;
  arn: string;
  /** e.g. "alias/aws/secretsmanager" for the AWS-managed key, null otherwise. */
  alias: string | null;
  wrappedMaterial: Buffer;
  createdAt: number;
  meta: Record<string, unknown>;
}

export type SecretSortKey = "created-date" | "last-accessed-date" | "last-changed-date" | "name";

/** Keyset pagination: rows strictly after (sortValue, arn) in the chosen order. */
export interface SecretListQuery {
  accountId: string;
  region: string;
  includePlannedDeletion: boolean;
  sortBy: SecretSortKey;
  descending: boolean;
  after?: { sortValue: string | number | null; arn: string };
  limit: number;
}

/** A background job claimed through a lease, so that with N processes each job runs once. */
export interface LeaseRow {
  name: string;
  holder: string;
  expiresAt: number;
}

export interface StoreOps {
  /** Feature stores: each lives in its own file pair (store/<feature>-ops.ts, <backend>/<feature>-ops.ts). */
  readonly audit: AuditOps;
  readonly identity: IdentityOps;
  readonly keys: KeyOps;

  // accounts, access keys, KMS keys, server metadata
  getAccount(accountId: string): Promise<AccountRow | undefined>;
  insertAccount(row: AccountRow): Promise<void>;
  listAccounts(): Promise<AccountRow[]>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined>;
  insertAccessKey(row: AccessKeyRow): Promise<void>;
  getKmsKey(accountId: string, region: string, keyId: string): Promise<KmsKeyRow | undefined>;
  getKmsKeyByAlias(accountId: string, region: string, alias: string): Promise<KmsKeyRow | undefined>;
  insertKmsKey(row: KmsKeyRow): Promise<void>;
  /** A small key → text table for server-wide facts (schema markers, bootstrap state). */
  getSetting(key: string): Promise<string | undefined>;
  putSetting(key: string, value: string): Promise<void>;

  // secrets
  /** Lookups inside a transaction lock the row (PostgreSQL FOR UPDATE; SQLite writers are serialised). */
  getSecretByName(accountId: string, region: string, name: string): Promise<SecretRow | undefined>;
  getSecretByArn(arn: string): Promise<SecretRow | undefined>;
  insertSecret(row: SecretRow): Promise<void>;
  /** Replaces every mutable column of the row with this arn. */
  updateSecret(row: SecretRow): Promise<void>;
  /** Removes the secret and all its versions. */
  deleteSecret(arn: string): Promise<void>;
  listSecrets(query: SecretListQuery): Promise<SecretRow[]>;
  /** Secrets whose deletionAt is at or before `now`, oldest first. */
  listSecretsDueForPurge(now: number, limit: number): Promise<SecretRow[]>;
  countSecrets(accountId: string, region: string): Promise<number>;

  // versions
  /** All versions of a secret, oldest first (createdAt, then versionId). */
  listVersions(secretArn: string): Promise<VersionRow[]>;
  countVersions(secretArn: string): Promise<number>;
  /** The ids of the `limit` oldest versions (listVersions' order), without reading the values. */
  oldestVersionIds(secretArn: string, limit: number): Promise<string[]>;
  getVersion(secretArn: string, versionId: string): Promise<VersionRow | undefined>;
  insertVersion(row: VersionRow): Promise<void>;
  /** Replaces the sealed value and key of an existing version (re-encryption, filling a placeholder). */
  updateVersionValue(secretArn: string, versionId: string, sealed: Buffer | null, kmsKeyId: string | null): Promise<void>;
  deleteVersion(secretArn: string, versionId: string): Promise<void>;
  /** Sets lastAccessedAt on the secret and on one version. */
  touchAccess(secretArn: string, versionId: string, day: number): Promise<void>;

  // leases
  /** Takes or renews the named lease if it is free, expired, or already held by `holder`. */
  tryLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * "full" (the default): once the promise resolves, the commit survives a crash of this
   * process and of the machine. "process": it survives a crash or kill -9 of this process but
   * may be lost in a power failure until the next full commit (which makes it durable too,
   * since both share one log). Meant for high-volume records whose loss on power failure is
   * acceptable — never for the secrets themselves.
   */
  durability?: "full" | "process";
}

export interface Store extends StoreOps {
  readonly kind: "sqlite" | "postgres";
  /** Applies pending migrations (versioned, in store/migrations). Safe to call from many processes. */
  migrate(): Promise<void>;
  /**
   * Runs `fn` in one transaction: all or nothing, durable once the promise resolves.
   * Concurrent transactions on one secret are serialised by the row lock of its lookup.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** Thrown by insert* when a unique key (secret name per account+region, arn, version id, …) is taken. */
export class UniqueViolationError extends Error {
  constructor(what: string) {
    super(`unique key taken: ${what}`);
    this.name = "UniqueViolationError";
  }
}
