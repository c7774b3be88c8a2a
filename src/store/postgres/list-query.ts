// ListSecrets as a keyset query: one named statement per (sort key, direction, filter, cursor)
// shape, each a range scan over the matching secrets_by_* index.

import type { SecretListQuery, SecretSortKey } from "../store.js";
import type { NamedQuery } from "./queries.js";
import { SECRET_COLUMNS } from "./rows.js";

// The expressions must match the indexed expressions, or the planner will not use the index.
// A never-read secret sorts as if read at time 0.
const SORT_EXPRESSION: Record<SecretSortKey, string> = {
  "created-date": "created_at",
  "last-changed-date": "last_changed_at",
  "last-accessed-date": "COALESCE(last_accessed_at, 0)",
  name: "name",
};

const texts = new Map<string, NamedQuery>();

export function listSecretsQuery(query: SecretListQuery): { query: NamedQuery; values: unknown[] } {
  const values: unknown[] = [query.accountId, query.region];
  if (query.after) values.push(cursorValue(query.sortBy, query.after.sortValue), query.after.arn);
  values.push(query.limit);

  const name = `coffer_list_secrets_${query.sortBy}_${query.descending ? "desc" : "asc"}${
    query.includePlannedDeletion ? "_all" : ""
  }${query.after ? "_after" : ""}`;
  let named = texts.get(name);
  if (!named) {
    const expr = SORT_EXPRESSION[query.sortBy];
    const dir = query.descending ? "DESC" : "ASC";
    let where = "account_id = $1 AND region = $2";
    if (!query.includePlannedDeletion) where += " AND deleted_at IS NULL";
    // A row comparison is a single range bound on the last two index columns.
    if (query.after) where += ` AND (${expr}, arn) ${query.descending ? "<" : ">"} ($3, $4)`;
    const limit = query.after ? "$5" : "$3";
    const text = `SELECT ${SECRET_COLUMNS} FROM secrets WHERE ${where} ORDER BY ${expr} ${dir}, arn ${dir} LIMIT ${limit}`;
    named = { name, text };
    texts.set(name, named);
  }
  return { query: named, values };
}

/** The cursor value in the column's own type, so a malformed cursor fails instead of misordering. */
function cursorValue(sortBy: SecretSortKey, value: string | number | null): string | number {
  if (sortBy === "name") {
    if (typeof value !== "string") throw new TypeError("a name cursor needs a string sortValue");
    return value;
  }
  if (value === null) return 0;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`a ${sortBy} cursor needs an integer sortValue`);
  return n;
}
