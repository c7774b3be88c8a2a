// The StoreOps of one SQLite connection. The store uses one instance over the reader connection
// for plain reads and a fresh instance over the writer connection for every transaction.

import type {
  AccessKeyRow,
  AccountRow,
  KmsKeyRow,
  SecretListQuery,
  SecretRow,
  StoreOps,
  VersionRow,
} from "../store.js";
import { UniqueViolationError } from "../store.js";
import type { Statement, StatementCache } from "./connection.js";
import { SqliteAuditOps } from "./audit-ops.js";
import { SqliteIdentityOps } from "./identity-ops.js";
import { SqliteKeyOps } from "./keys-ops.js";
import { listSecretsSql } from "./list-query.js";
import {
  ACCESS_KEY_COLUMNS,
  ACCOUNT_COLUMNS,
  KMS_KEY_COLUMNS,
  SECRET_COLUMNS,
  VERSION_COLUMNS,
  toAccessKey,
  toAccount,
  toKmsKey,
  toSecret,
  toVersion,
} from "./rows.js";
import type { AccessKeyRecord, AccountRecord, KmsKeyRecord, SecretRecord, VersionRecord } from "./rows.js";

const SQL = {
  getAccount: `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = ?`,
  insertAccount: `INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?)`,
  listAccounts: `SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY account_id`,
  getAccessKey: `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE access_key_id = ?`,
  insertAccessKey: `INSERT INTO access_keys (${ACCESS_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
  getKmsKey: `SELECT ${KMS_KEY_COLUMNS} FROM kms_keys WHERE account_id = ? AND region = ? AND key_id = ?`,
  getKmsKeyByAlias: `SELECT ${KMS_KEY_COLUMNS} FROM kms_keys WHERE account_id = ? AND region = ? AND alias = ?`,
  insertKmsKey: `INSERT INTO kms_keys (${KMS_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  getSetting: `SELECT value FROM settings WHERE key = ?`,
  putSetting: `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  getSecretByName: `SELECT ${SECRET_COLUMNS} FROM secrets WHERE account_id = ? AND region = ? AND name = ?`,
  getSecretByArn: `SELECT ${SECRET_COLUMNS} FROM secrets WHERE arn = ?`,
  insertSecret: `INSERT INTO secrets (${SECRET_COLUMNS}) VALUES (@arn, @account_id, @region, @name, @created_at, @last_changed_at, @last_accessed_at, @deleted_at, @deletion_at, @stages, @meta)`,
  // The identity columns (arn, account, region, name, creation time) never change.
  updateSecret: `UPDATE secrets SET last_changed_at = @last_changed_at, last_accessed_at = @last_accessed_at, deleted_at = @deleted_at, deletion_at = @deletion_at, stages = @stages, meta = @meta WHERE arn = @arn`,
  deleteSecret: `DELETE FROM secrets WHERE arn = ?`,
  listSecretsDueForPurge: `SELECT ${SECRET_COLUMNS} FROM secrets WHERE deletion_at IS NOT NULL AND deletion_at <= ? ORDER BY deletion_at, arn LIMIT ?`,
  countSecrets: `SELECT COUNT(*) AS n FROM secrets WHERE account_id = ? AND region = ?`,
  listVersions: `SELECT ${VERSION_COLUMNS} FROM versions WHERE secret_arn = ? ORDER BY created_at, version_id`,
  countVersions: `SELECT COUNT(*) FROM versions WHERE secret_arn = ?`,
  oldestVersionIds: `SELECT version_id FROM versions WHERE secret_arn = ? ORDER BY created_at, version_id LIMIT ?`,
  getVersion: `SELECT ${VERSION_COLUMNS} FROM versions WHERE secret_arn = ? AND version_id = ?`,
  insertVersion: `INSERT INTO versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
  updateVersionValue: `UPDATE versions SET sealed = ?, kms_key_id = ? WHERE secret_arn = ? AND version_id = ?`,
  deleteVersion: `DELETE FROM versions WHERE secret_arn = ? AND version_id = ?`,
  // "IS NOT" skips the write (and its WAL traffic) when the day is already recorded.
  touchSecret: `UPDATE secrets SET last_accessed_at = ? WHERE arn = ? AND last_accessed_at IS NOT ?`,
  touchVersion: `UPDATE versions SET last_accessed_at = ? WHERE secret_arn = ? AND version_id = ? AND last_accessed_at IS NOT ?`,
  tryLease: `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE leases.expires_at <= ? OR leases.holder = excluded.holder`,
  releaseLease: `DELETE FROM leases WHERE name = ? AND holder = ?`,
} as const;

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * A failed statement in SQLite rolls back only itself, so a caller may catch the
 * UniqueViolationError and carry on with the same transaction.
 */
function insertOnce(what: string, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (isUniqueViolation(err)) throw new UniqueViolationError(what);
    throw err;
  }
}

function secretParams(row: SecretRow): Record<string, unknown> {
  return {
    arn: row.arn,
    account_id: row.accountId,
    region: row.region,
    name: row.name,
    created_at: row.createdAt,
    last_changed_at: row.lastChangedAt,
    last_accessed_at: row.lastAccessedAt,
    deleted_at: row.deletedAt,
    deletion_at: row.deletionAt,
    stages: JSON.stringify(row.stages),
    meta: JSON.stringify(row.meta),
  };
}

export class SqliteOps implements StoreOps {
  /**
   * @param assertUsable throws once the transaction this instance belongs to has ended, so a
   *   leaked handle cannot write into some later transaction on the shared writer connection.
   */
  readonly audit: SqliteAuditOps;
  readonly identity: SqliteIdentityOps;
  readonly keys: SqliteKeyOps;

  constructor(
    private readonly statements: StatementCache,
    private readonly assertUsable: () => void = () => {},
  ) {
    this.audit = new SqliteAuditOps(statements, assertUsable);
    this.identity = new SqliteIdentityOps(statements, assertUsable);
    this.keys = new SqliteKeyOps(statements, assertUsable);
  }

  private st(sql: string): Statement {
    this.assertUsable();
    return this.statements.get(sql);
  }

  async getAccount(accountId: string): Promise<AccountRow | undefined> {
    const r = this.st(SQL.getAccount).get(accountId) as AccountRecord | undefined;
    return r && toAccount(r);
  }

  async insertAccount(row: AccountRow): Promise<void> {
    insertOnce(`account ${row.accountId}`, () =>
      this.st(SQL.insertAccount).run(row.accountId, row.name, row.createdAt),
    );
  }

  async listAccounts(): Promise<AccountRow[]> {
    return (this.st(SQL.listAccounts).all() as AccountRecord[]).map(toAccount);
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined> {
    const r = this.st(SQL.getAccessKey).get(accessKeyId) as AccessKeyRecord | undefined;
    return r && toAccessKey(r);
  }

  async insertAccessKey(row: AccessKeyRow): Promise<void> {
    insertOnce(`access key ${row.accessKeyId}`, () =>
      this.st(SQL.insertAccessKey).run(
        row.accessKeyId,
        row.accountId,
        row.principalArn,
        row.sealedSecret,
        row.status,
        row.createdAt,
      ),
    );
  }

  async getKmsKey(accountId: string, region: string, keyId: string): Promise<KmsKeyRow | undefined> {
    const r = this.st(SQL.getKmsKey).get(accountId, region, keyId) as KmsKeyRecord | undefined;
    return r && toKmsKey(r);
  }

  async getKmsKeyByAlias(accountId: string, region: string, alias: string): Promise<KmsKeyRow | undefined> {
    const r = this.st(SQL.getKmsKeyByAlias).get(accountId, region, alias) as KmsKeyRecord | undefined;
    return r && toKmsKey(r);
  }

  async insertKmsKey(row: KmsKeyRow): Promise<void> {
    insertOnce(`KMS key ${row.arn}${row.alias === null ? "" : ` or alias ${row.alias}`}`, () =>
      this.st(SQL.insertKmsKey).run(
        row.accountId,
        row.region,
        row.keyId,
        row.arn,
        row.alias,
        row.wrappedMaterial,
        row.createdAt,
        JSON.stringify(row.meta),
      ),
    );
  }

  async getSetting(key: string): Promise<string | undefined> {
    const r = this.st(SQL.getSetting).get(key) as { value: string } | undefined;
    return r?.value;
  }

  async putSetting(key: string, value: string): Promise<void> {
    this.st(SQL.putSetting).run(key, value);
  }

  async getSecretByName(accountId: string, region: string, name: string): Promise<SecretRow | undefined> {
    return this.secretByNameNow(accountId, region, name);
  }

  /** The synchronous lookups behind the hot path's reads (and their cache). */
  secretByNameNow(accountId: string, region: string, name: string): SecretRow | undefined {
    const r = this.st(SQL.getSecretByName).get(accountId, region, name) as SecretRecord | undefined;
    return r && toSecret(r);
  }

  versionNow(secretArn: string, versionId: string): VersionRow | undefined {
    const r = this.st(SQL.getVersion).get(secretArn, versionId) as VersionRecord | undefined;
    return r && toVersion(r);
  }

  async getSecretByArn(arn: string): Promise<SecretRow | undefined> {
    const r = this.st(SQL.getSecretByArn).get(arn) as SecretRecord | undefined;
    return r && toSecret(r);
  }

  async insertSecret(row: SecretRow): Promise<void> {
    insertOnce(`secret ${row.name} (${row.arn})`, () => this.st(SQL.insertSecret).run(secretParams(row)));
  }

  async updateSecret(row: SecretRow): Promise<void> {
    this.st(SQL.updateSecret).run(secretParams(row));
  }

  async deleteSecret(arn: string): Promise<void> {
    this.st(SQL.deleteSecret).run(arn);
  }

  async listSecrets(query: SecretListQuery): Promise<SecretRow[]> {
    const { sql, params } = listSecretsSql(query);
    return (this.st(sql).all(...params) as SecretRecord[]).map(toSecret);
  }

  async listSecretsDueForPurge(now: number, limit: number): Promise<SecretRow[]> {
    return (this.st(SQL.listSecretsDueForPurge).all(now, limit) as SecretRecord[]).map(toSecret);
  }

  async countSecrets(accountId: string, region: string): Promise<number> {
    return (this.st(SQL.countSecrets).get(accountId, region) as { n: number }).n;
  }

  async listVersions(secretArn: string): Promise<VersionRow[]> {
    return (this.st(SQL.listVersions).all(secretArn) as VersionRecord[]).map(toVersion);
  }

  async countVersions(secretArn: string): Promise<number> {
    return this.st(SQL.countVersions).pluck().get(secretArn) as number;
  }

  async oldestVersionIds(secretArn: string, limit: number): Promise<string[]> {
    return this.st(SQL.oldestVersionIds).pluck().all(secretArn, limit) as string[];
  }

  async getVersion(secretArn: string, versionId: string): Promise<VersionRow | undefined> {
    return this.versionNow(secretArn, versionId);
  }

  async insertVersion(row: VersionRow): Promise<void> {
    insertOnce(`version ${row.versionId} of ${row.secretArn}`, () =>
      this.st(SQL.insertVersion).run(
        row.secretArn,
        row.versionId,
        row.createdAt,
        row.lastAccessedAt,
        row.kmsKeyId,
        row.sealed,
      ),
    );
  }

  async updateVersionValue(
    secretArn: string,
    versionId: string,
    sealed: Buffer | null,
    kmsKeyId: string | null,
  ): Promise<void> {
    this.st(SQL.updateVersionValue).run(sealed, kmsKeyId, secretArn, versionId);
  }

  async deleteVersion(secretArn: string, versionId: string): Promise<void> {
    this.st(SQL.deleteVersion).run(secretArn, versionId);
  }

  async touchAccess(secretArn: string, versionId: string, day: number): Promise<void> {
    this.st(SQL.touchSecret).run(day, secretArn, day);
    this.st(SQL.touchVersion).run(day, secretArn, versionId, day);
  }

  async tryLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    return this.st(SQL.tryLease).run(name, holder, now + ttlMs, now).changes === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.st(SQL.releaseLease).run(name, holder);
  }
}
