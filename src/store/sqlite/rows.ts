// The SQLite forms of the core tables' rows (row-converters.ts): time columns are integers.
import { rowConverters, type AccessKeyColumns, type AccountColumns, type KmsKeyColumns, type SecretColumns, type VersionColumns } from "../row-converters.js";

export { ACCESS_KEY_COLUMNS, ACCOUNT_COLUMNS, KMS_KEY_COLUMNS, SECRET_COLUMNS, VERSION_COLUMNS } from "../row-converters.js";

export type SecretRecord = SecretColumns<number>;
export type VersionRecord = VersionColumns<number>;
export type KmsKeyRecord = KmsKeyColumns<number>;
export type AccessKeyRecord = AccessKeyColumns<number>;
export type AccountRecord = AccountColumns<number>;

export const { toSecret, toVersion, toKmsKey, toAccessKey, toAccount } = rowConverters<number>((value) => value);
