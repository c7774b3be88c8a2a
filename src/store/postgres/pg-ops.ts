// The StoreOps of PostgreSQL, over either the pool (plain reads and single-statement writes) or
// one client holding an open transaction.

import type { QueryConfig, QueryResult, QueryResultRow } from "pg";
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
import { listSecretsQuery } from "./list-query.js";
import { PgAuditOps } from "./audit-ops.js";
import { PgIdentityOps } from "./identity-ops.js";
import { PgKeyOps } from "./keys-ops.js";
import type { NamedQuery } from "./queries.js";
import { Q } from "./queries.js";
import { toAccessKey, toAccount, toKmsKey, toSecret, toVersion } from "./rows.js";
import type { AccessKeyRecord, AccountRecord, KmsKeyRecord, SecretRecord, VersionRecord } from "./rows.js";

export type Execute = (query: QueryConfig<unknown[]>) => Promise<QueryResult<QueryResultRow>>;

export class PgOps implements StoreOps {
  /**
   * @param lockRows take a row lock on secret lookups, so that concurrent transactions doing
   *   read-modify-write on one secret queue up instead of overwriting each other.
   */
  readonly audit: PgAuditOps;
  readonly identity: PgIdentityOps;
  readonly keys: PgKeyOps;

  constructor(
    private readonly execute: Execute,
    private readonly lockRows: boolean,
  ) {
    this.audit = new PgAuditOps(execute, lockRows);
    this.identity = new PgIdentityOps(execute, lockRows);
    this.keys = new PgKeyOps(execute, lockRows);
  }

  private async run(query: NamedQuery, values: unknown[]): Promise<QueryResult<QueryResultRow>> {
    return this.execute({ name: query.name, text: query.text, values });
  }

  private async rows<R>(query: NamedQuery, values: unknown[]): Promise<R[]> {
    return (await this.run(query, values)).rows as R[];
  }

  private async first<R>(query: NamedQuery, values: unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(query, values))[0];
  }

  /** Inserts skip a taken key (ON CONFLICT DO NOTHING); no row written means the key was taken. */
  private async insert(what: string, query: NamedQuery, values: unknown[]): Promise<void> {
    const result = await this.run(query, values);
    if (result.rowCount === 0) throw new UniqueViolationError(what);
  }

  async getAccount(accountId: string): Promise<AccountRow | undefined> {
    const r = await this.first<AccountRecord>(Q.getAccount, [accountId]);
    return r && toAccount(r);
  }

  async insertAccount(row: AccountRow): Promise<void> {
    await this.insert(`account ${row.accountId}`, Q.insertAccount, [row.accountId, row.name, row.createdAt]);
  }

  async listAccounts(): Promise<AccountRow[]> {
    return (await this.rows<AccountRecord>(Q.listAccounts, [])).map(toAccount);
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined> {
    const r = await this.first<AccessKeyRecord>(Q.getAccessKey, [accessKeyId]);
    return r && toAccessKey(r);
  }

  async insertAccessKey(row: AccessKeyRow): Promise<void> {
    await this.insert(`access key ${row.accessKeyId}`, Q.insertAccessKey, [
      row.accessKeyId,
      row.accountId,
      row.principalArn,
      row.sealedSecret,
      row.status,
      row.createdAt,
    ]);
  }

  async getKmsKey(accountId: string, region: string, keyId: string): Promise<KmsKeyRow | undefined> {
    const r = await this.first<KmsKeyRecord>(Q.getKmsKey, [accountId, region, keyId]);
    return r && toKmsKey(r);
  }

  async getKmsKeyByAlias(accountId: string, region: string, alias: string): Promise<KmsKeyRow | undefined> {
    const r = await this.first<KmsKeyRecord>(Q.getKmsKeyByAlias, [accountId, region, alias]);
    return r && toKmsKey(r);
  }

  async insertKmsKey(row: KmsKeyRow): Promise<void> {
    await this.insert(`KMS key ${row.arn}${row.alias === null ? "" : ` or alias ${row.alias}`}`, Q.insertKmsKey, [
      row.accountId,
      row.region,
      row.keyId,
      row.arn,
      row.alias,
      row.wrappedMaterial,
      row.createdAt,
      JSON.stringify(row.meta),
    ]);
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.first<{ value: string }>(Q.getSetting, [key]))?.value;
  }

  async putSetting(key: string, value: string): Promise<void> {
    await this.run(Q.putSetting, [key, value]);
  }

  async getSecretByName(accountId: string, region: string, name: string): Promise<SecretRow | undefined> {
    const query = this.lockRows ? Q.getSecretByNameLocked : Q.getSecretByName;
    const r = await this.first<SecretRecord>(query, [accountId, region, name]);
    return r && toSecret(r);
  }

  async getSecretByArn(arn: string): Promise<SecretRow | undefined> {
    const query = this.lockRows ? Q.getSecretByArnLocked : Q.getSecretByArn;
    const r = await this.first<SecretRecord>(query, [arn]);
    return r && toSecret(r);
  }

  async insertSecret(row: SecretRow): Promise<void> {
    await this.insert(`secret ${row.name} (${row.arn})`, Q.insertSecret, [
      row.arn,
      row.accountId,
      row.region,
      row.name,
      row.createdAt,
      row.lastChangedAt,
      row.lastAccessedAt,
      row.deletedAt,
      row.deletionAt,
      JSON.stringify(row.stages),
      JSON.stringify(row.meta),
    ]);
  }

  async updateSecret(row: SecretRow): Promise<void> {
    await this.run(Q.updateSecret, [
      row.arn,
      row.lastChangedAt,
      row.lastAccessedAt,
      row.deletedAt,
      row.deletionAt,
      JSON.stringify(row.stages),
      JSON.stringify(row.meta),
    ]);
  }

  async deleteSecret(arn: string): Promise<void> {
    await this.run(Q.deleteSecret, [arn]);
  }

  async listSecrets(query: SecretListQuery): Promise<SecretRow[]> {
    const { query: named, values } = listSecretsQuery(query);
    return (await this.rows<SecretRecord>(named, values)).map(toSecret);
  }

  async listSecretsDueForPurge(now: number, limit: number): Promise<SecretRow[]> {
    return (await this.rows<SecretRecord>(Q.listSecretsDueForPurge, [now, limit])).map(toSecret);
  }

  async countSecrets(accountId: string, region: string): Promise<number> {
    const r = await this.first<{ n: string }>(Q.countSecrets, [accountId, region]);
    return Number(r?.n ?? 0);
  }

  async listVersions(secretArn: string): Promise<VersionRow[]> {
    return (await this.rows<VersionRecord>(Q.listVersions, [secretArn])).map(toVersion);
  }

  async countVersions(secretArn: string): Promise<number> {
    const [r] = await this.rows<{ n: string }>(Q.countVersions, [secretArn]);
    return Number(r?.n ?? 0);
  }

  async oldestVersionIds(secretArn: string, limit: number): Promise<string[]> {
    return (await this.rows<{ version_id: string }>(Q.oldestVersionIds, [secretArn, limit])).map((r) => r.version_id);
  }

  async getVersion(secretArn: string, versionId: string): Promise<VersionRow | undefined> {
    const r = await this.first<VersionRecord>(Q.getVersion, [secretArn, versionId]);
    return r && toVersion(r);
  }

  async insertVersion(row: VersionRow): Promise<void> {
    await this.insert(`version ${row.versionId} of ${row.secretArn}`, Q.insertVersion, [
      row.secretArn,
      row.versionId,
      row.createdAt,
      row.lastAccessedAt,
      row.kmsKeyId,
      row.sealed,
    ]);
  }

  async updateVersionValue(
    secretArn: string,
    versionId: string,
    sealed: Buffer | null,
    kmsKeyId: string | null,
  ): Promise<void> {
    await this.run(Q.updateVersionValue, [secretArn, versionId, sealed, kmsKeyId]);
  }

  async deleteVersion(secretArn: string, versionId: string): Promise<void> {
    await this.run(Q.deleteVersion, [secretArn, versionId]);
  }

  async touchAccess(secretArn: string, versionId: string, day: number): Promise<void> {
    await this.run(Q.touchAccess, [secretArn, versionId, day]);
  }

  async tryLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    return (await this.run(Q.tryLease, [name, holder, now + ttlMs, now])).rowCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.run(Q.releaseLease, [name, holder]);
  }
}
