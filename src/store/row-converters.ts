// Column-level shapes of the store's core tables, and their conversion to the store's row types,
// shared by both backends. They differ only in how a time column arrives: SQLite hands back a
// number, node-postgres a bigint as text (it may exceed 2^53; our times never do).
import type { AccessKeyRow, AccountRow, KmsKeyRow, SecretRow, VersionRow } from "./store.js";

export const SECRET_COLUMNS =
  "arn, account_id, region, name, created_at, last_changed_at, last_accessed_at, deleted_at, deletion_at, stages, meta";
export const VERSION_COLUMNS = "secret_arn, version_id, created_at, last_accessed_at, kms_key_id, sealed";
export const KMS_KEY_COLUMNS = "account_id, region, key_id, arn, alias, wrapped_material, created_at, meta";
export const ACCESS_KEY_COLUMNS = "access_key_id, account_id, principal_arn, sealed_secret, status, created_at";
export const ACCOUNT_COLUMNS = "account_id, name, created_at";

export interface SecretColumns<Time> {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  created_at: Time;
  last_changed_at: Time;
  last_accessed_at: Time | null;
  deleted_at: Time | null;
  deletion_at: Time | null;
  stages: string;
  meta: string;
}

export interface VersionColumns<Time> {
  secret_arn: string;
  version_id: string;
  created_at: Time;
  last_accessed_at: Time | null;
  kms_key_id: string | null;
  sealed: Buffer | null;
}

export interface KmsKeyColumns<Time> {
  account_id: string;
  region: string;
  key_id: string;
  arn: string;
  alias: string | null;
  wrapped_material: Buffer;
  created_at: Time;
  meta: string;
}

export interface AccessKeyColumns<Time> {
  access_key_id: string;
  account_id: string;
  principal_arn: string;
  sealed_secret: Buffer;
  status: "Active" | "Inactive";
  created_at: Time;
}

export interface AccountColumns<Time> {
  account_id: string;
  name: string;
  created_at: Time;
}

/** The converters for a backend whose time columns arrive as `Time`. */
export function rowConverters<Time>(time: (value: Time) => number) {
  const maybeTime = (v: Time | null): number | null => (v === null ? null : time(v));
  function toSecret(r: SecretColumns<Time>): SecretRow {
    return {
      accountId: r.account_id,
      region: r.region,
      arn: r.arn,
      name: r.name,
      createdAt: time(r.created_at),
      lastChangedAt: time(r.last_changed_at),
      lastAccessedAt: maybeTime(r.last_accessed_at),
      deletedAt: maybeTime(r.deleted_at),
      deletionAt: maybeTime(r.deletion_at),
      stages: JSON.parse(r.stages) as Record<string, string>,
      meta: JSON.parse(r.meta) as Record<string, unknown>,
    };
  }

  function toVersion(r: VersionColumns<Time>): VersionRow {
    return {
      secretArn: r.secret_arn,
      versionId: r.version_id,
      createdAt: time(r.created_at),
      lastAccessedAt: maybeTime(r.last_accessed_at),
      kmsKeyId: r.kms_key_id,
      sealed: r.sealed,
    };
  }

  function toKmsKey(r: KmsKeyColumns<Time>): KmsKeyRow {
    return {
      accountId: r.account_id,
      region: r.region,
      keyId: r.key_id,
      arn: r.arn,
      alias: r.alias,
      wrappedMaterial: r.wrapped_material,
      createdAt: time(r.created_at),
      meta: JSON.parse(r.meta) as Record<string, unknown>,
    };
  }

  function toAccessKey(r: AccessKeyColumns<Time>): AccessKeyRow {
    return {
      accessKeyId: r.access_key_id,
      accountId: r.account_id,
      principalArn: r.principal_arn,
      sealedSecret: r.sealed_secret,
      status: r.status,
      createdAt: time(r.created_at),
    };
  }

  function toAccount(r: AccountColumns<Time>): AccountRow {
    return { accountId: r.account_id, name: r.name, createdAt: time(r.created_at) };
  }
  return { toSecret, toVersion, toKmsKey, toAccessKey, toAccount };
}
