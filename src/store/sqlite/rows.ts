// Column-level shapes of the SQLite tables and their conversion to the store's row types.

import type { AccessKeyRow, AccountRow, KmsKeyRow, SecretRow, VersionRow } from "../store.js";

export const SECRET_COLUMNS =
  "arn, account_id, region, name, created_at, last_changed_at, last_accessed_at, deleted_at, deletion_at, stages, meta";
export const VERSION_COLUMNS = "secret_arn, version_id, created_at, last_accessed_at, kms_key_id, sealed";
export const KMS_KEY_COLUMNS = "account_id, region, key_id, arn, alias, wrapped_material, created_at, meta";
export const ACCESS_KEY_COLUMNS = "access_key_id, account_id, principal_arn, sealed_secret, status, created_at";
export const ACCOUNT_COLUMNS = "account_id, name, created_at";

export interface SecretRecord {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  last_changed_at: number;
  last_accessed_at: number | null;
  deleted_at: number | null;
  deletion_at: number | null;
  stages: string;
  meta: string;
}

export interface VersionRecord {
  secret_arn: string;
  version_id: string;
  created_at: number;
  last_accessed_at: number | null;
  kms_key_id: string | null;
  sealed: Buffer | null;
}

export interface KmsKeyRecord {
  account_id: string;
  region: string;
  key_id: string;
  arn: string;
  alias: string | null;
  wrapped_material: Buffer;
  created_at: number;
  meta: string;
}

export interface AccessKeyRecord {
  access_key_id: string;
  account_id: string;
  principal_arn: string;
  sealed_secret: Buffer;
  status: "Active" | "Inactive";
  created_at: number;
}

export interface AccountRecord {
  account_id: string;
  name: string;
  created_at: number;
}

export function toSecret(r: SecretRecord): SecretRow {
  return {
    accountId: r.account_id,
    region: r.region,
    arn: r.arn,
    name: r.name,
    createdAt: r.created_at,
    lastChangedAt: r.last_changed_at,
    lastAccessedAt: r.last_accessed_at,
    deletedAt: r.deleted_at,
    deletionAt: r.deletion_at,
    stages: JSON.parse(r.stages) as Record<string, string>,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
  };
}

export function toVersion(r: VersionRecord): VersionRow {
  return {
    secretArn: r.secret_arn,
    versionId: r.version_id,
    createdAt: r.created_at,
    lastAccessedAt: r.last_accessed_at,
    kmsKeyId: r.kms_key_id,
    sealed: r.sealed,
  };
}

export function toKmsKey(r: KmsKeyRecord): KmsKeyRow {
  return {
    accountId: r.account_id,
    region: r.region,
    keyId: r.key_id,
    arn: r.arn,
    alias: r.alias,
    wrappedMaterial: r.wrapped_material,
    createdAt: r.created_at,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
  };
}

export function toAccessKey(r: AccessKeyRecord): AccessKeyRow {
  return {
    accessKeyId: r.access_key_id,
    accountId: r.account_id,
    principalArn: r.principal_arn,
    sealedSecret: r.sealed_secret,
    status: r.status,
    createdAt: r.created_at,
  };
}

export function toAccount(r: AccountRecord): AccountRow {
  return { accountId: r.account_id, name: r.name, createdAt: r.created_at };
}
