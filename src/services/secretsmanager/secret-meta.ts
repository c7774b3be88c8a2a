// The per-secret settings kept in SecretRow.meta. The store treats them as opaque JSON.
import type { SecretRow } from "../../store/store.js";

export interface TagEntry {
  Key: string;
  Value: string;
}

export interface SecretMeta {
  /** Stored even when empty; DescribeSecret omits an empty description (AWS-OBS). */
  description?: string;
  /** As the caller gave it; absent means the account's AWS-managed key. */
  kmsKeyId?: string;
  tags?: TagEntry[];
  /** DescribeSecret returns `Tags: []` once a secret has had tags, omits it before (AWS-OBS). */
  everTagged?: boolean;
  resourcePolicy?: string;
  type?: string;
  owningService?: string;
  primaryRegion?: string;
}

export function metaOf(secret: SecretRow): SecretMeta {
  return secret.meta as SecretMeta;
}

/** Milliseconds → the UTC midnight of that day (LastAccessedDate is date-only on AWS). */
export function utcDay(ms: number): number {
  return ms - (ms % 86_400_000);
}
