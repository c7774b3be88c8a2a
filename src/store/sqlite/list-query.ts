// ListSecrets as a keyset query: one SQL text per (sort key, direction, filter, cursor) shape,
// each a range scan over the matching secrets_by_* index.

import type { SecretListQuery, SecretSortKey } from "../store.js";
import { SECRET_COLUMNS } from "./rows.js";

// Each is the third column of its secrets_by_* index. A never-read secret sorts as if read at
// time 0 (last_accessed_sort is the generated column COALESCE(last_accessed_at, 0)).
const SORT_EXPRESSION: Record<SecretSortKey, string> = {
  "created-date": "created_at",
  "last-changed-date": "last_changed_at",
  "last-accessed-date": "last_accessed_sort",
  name: "name",
};

export function listSecretsSql(query: SecretListQuery): { sql: string; params: unknown[] } {
  const expr = SORT_EXPRESSION[query.sortBy];
  const dir = query.descending ? "DESC" : "ASC";
  const params: unknown[] = [query.accountId, query.region];
  let where = "account_id = ? AND region = ?";
  if (!query.includePlannedDeletion) where += " AND deleted_at IS NULL";
  if (query.after) {
    // A row value comparison is a single range bound on the last two index columns.
    where += ` AND (${expr}, arn) ${query.descending ? "<" : ">"} (?, ?)`;
    params.push(cursorValue(query.sortBy, query.after.sortValue), query.after.arn);
  }
  params.push(query.limit);
  const sql = `SELECT ${SECRET_COLUMNS} FROM secrets WHERE ${where} ORDER BY ${expr} ${dir}, arn ${dir} LIMIT ?`;
  return { sql, params };
}

/**
 * The cursor value bound with the column's own type: SQLite orders every number before every
 * string, so a numeric time arriving as text would silently compare wrong.
 */
export function cursorValue(sortBy: SecretSortKey, value: string | number | null): string | number {
  if (sortBy === "name") {
    if (typeof value !== "string") throw new TypeError("a name cursor needs a string sortValue");
    return value;
  }
  if (value === null) return 0;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`a ${sortBy} cursor needs an integer sortValue`);
  return n;
}
