// The PostgreSQL forms of the core tables' rows (row-converters.ts): node-postgres hands bigint
// columns back as text.
import { rowConverters, type AccessKeyColumns, type AccountColumns, type KmsKeyColumns, type SecretColumns, type VersionColumns } from "../row-converters.js";

export { ACCESS_KEY_COLUMNS, ACCOUNT_COLUMNS, KMS_KEY_COLUMNS, SECRET_COLUMNS, VERSION_COLUMNS } from "../row-converters.js";

type BigintText = string;
export type SecretRecord = SecretColumns<BigintText>;
export type VersionRecord = VersionColumns<BigintText>;
export type KmsKeyRecord = KmsKeyColumns<BigintText>;
export type AccessKeyRecord = AccessKeyColumns<BigintText>;
export type AccountRecord = AccountColumns<BigintText>;

export const { toSecret, toVersion, toKmsKey, toAccessKey, toAccount } = rowConverters<BigintText>(Number);
