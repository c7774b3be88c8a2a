// Every fixed SQL text of the PostgreSQL backend, each with the name it is prepared under. A named
// statement is parsed and planned once per pooled connection, then only bound and executed.

import {
  ACCESS_KEY_COLUMNS,
  ACCOUNT_COLUMNS,
  KMS_KEY_COLUMNS,
  SECRET_COLUMNS,
  VERSION_COLUMNS,
} from "./rows.js";

export interface NamedQuery {
  name: string;
  text: string;
}

const q = (name: string, text: string): NamedQuery => ({ name: `coffer_${name}`, text });

// Inserts use ON CONFLICT DO NOTHING and report a taken key through rowCount = 0: a unique
// violation raised as an error would abort the whole surrounding transaction, whereas SQLite lets
// the caller catch it and carry on. This keeps both backends alike.
export const Q = {
  getAccount: q("get_account", `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = $1`),
  insertAccount: q(
    "insert_account",
    `INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
  ),
  listAccounts: q("list_accounts", `SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY account_id`),
  getAccessKey: q("get_access_key", `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE access_key_id = $1`),
  insertAccessKey: q(
    "insert_access_key",
    `INSERT INTO access_keys (${ACCESS_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
  ),
  getKmsKey: q(
    "get_kms_key",
    `SELECT ${KMS_KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 AND region = $2 AND key_id = $3`,
  ),
  getKmsKeyByAlias: q(
    "get_kms_key_by_alias",
    `SELECT ${KMS_KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 AND region = $2 AND alias = $3`,
  ),
  insertKmsKey: q(
    "insert_kms_key",
    `INSERT INTO kms_keys (${KMS_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
  ),
  getSetting: q("get_setting", `SELECT value FROM settings WHERE key = $1`),
  putSetting: q(
    "put_setting",
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
  ),
  getSecretByName: q(
    "get_secret_by_name",
    `SELECT ${SECRET_COLUMNS} FROM secrets WHERE account_id = $1 AND region = $2 AND name = $3`,
  ),
  getSecretByNameLocked: q(
    "get_secret_by_name_locked",
    `SELECT ${SECRET_COLUMNS} FROM secrets WHERE account_id = $1 AND region = $2 AND name = $3 FOR UPDATE`,
  ),
  getSecretByArn: q("get_secret_by_arn", `SELECT ${SECRET_COLUMNS} FROM secrets WHERE arn = $1`),
  getSecretByArnLocked: q(
    "get_secret_by_arn_locked",
    `SELECT ${SECRET_COLUMNS} FROM secrets WHERE arn = $1 FOR UPDATE`,
  ),
  insertSecret: q(
    "insert_secret",
    `INSERT INTO secrets (${SECRET_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
  ),
  // The identity columns (arn, account, region, name, creation time) never change.
  updateSecret: q(
    "update_secret",
    `UPDATE secrets SET last_changed_at = $2, last_accessed_at = $3, deleted_at = $4, deletion_at = $5,
       stages = $6, meta = $7 WHERE arn = $1`,
  ),
  deleteSecret: q("delete_secret", `DELETE FROM secrets WHERE arn = $1`),
  listSecretsDueForPurge: q(
    "list_secrets_due_for_purge",
    `SELECT ${SECRET_COLUMNS} FROM secrets WHERE deletion_at IS NOT NULL AND deletion_at <= $1
       ORDER BY deletion_at, arn LIMIT $2`,
  ),
  countSecrets: q("count_secrets", `SELECT COUNT(*) AS n FROM secrets WHERE account_id = $1 AND region = $2`),
  listVersions: q(
    "list_versions",
    `SELECT ${VERSION_COLUMNS} FROM versions WHERE secret_arn = $1 ORDER BY created_at, version_id`,
  ),
  countVersions: q("count_versions", `SELECT COUNT(*) AS n FROM versions WHERE secret_arn = $1`),
  oldestVersionIds: q(
    "oldest_version_ids",
    `SELECT version_id FROM versions WHERE secret_arn = $1 ORDER BY created_at, version_id LIMIT $2`,
  ),
  getVersion: q(
    "get_version",
    `SELECT ${VERSION_COLUMNS} FROM versions WHERE secret_arn = $1 AND version_id = $2`,
  ),
  insertVersion: q(
    "insert_version",
    `INSERT INTO versions (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
  ),
  updateVersionValue: q(
    "update_version_value",
    `UPDATE versions SET sealed = $3, kms_key_id = $4 WHERE secret_arn = $1 AND version_id = $2`,
  ),
  deleteVersion: q("delete_version", `DELETE FROM versions WHERE secret_arn = $1 AND version_id = $2`),
  // One statement keeps the two updates atomic outside a transaction; IS DISTINCT FROM skips the
  // row write when the day is already recorded, which is the common case on the read path.
  touchAccess: q(
    "touch_access",
    `WITH touched_secret AS (
       UPDATE secrets SET last_accessed_at = $3 WHERE arn = $1 AND last_accessed_at IS DISTINCT FROM $3
     )
     UPDATE versions SET last_accessed_at = $3
       WHERE secret_arn = $1 AND version_id = $2 AND last_accessed_at IS DISTINCT FROM $3`,
  ),
  tryLease: q(
    "try_lease",
    `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.expires_at <= $4 OR leases.holder = EXCLUDED.holder`,
  ),
  releaseLease: q("release_lease", `DELETE FROM leases WHERE name = $1 AND holder = $2`),
} as const;
