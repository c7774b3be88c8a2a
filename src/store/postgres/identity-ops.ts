// PostgreSQL implementation of IdentityOps (see ../identity-ops.ts): the shared statements of
// ../identity-sql.ts with numbered placeholders, prepared by name on each pooled connection.
import { IDENTITY_SQL, LOCKED_READS, SqlIdentityOps, type IdentityStatement } from "../identity-sql.js";
import type { Execute } from "./pg-ops.js";

interface Prepared {
  name: string;
  text: string;
}

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const prepare = (locked: boolean): Record<IdentityStatement, Prepared> => {
  const out = {} as Record<IdentityStatement, Prepared>;
  for (const key of Object.keys(IDENTITY_SQL) as IdentityStatement[]) {
    const lock = locked && LOCKED_READS.has(key);
    out[key] = {
      name: `coffer_identity_${key}${lock ? "_locked" : ""}`,
      text: numbered(IDENTITY_SQL[key]) + (lock ? " FOR UPDATE" : ""),
    };
  }
  return out;
};

const PLAIN = prepare(false);
const LOCKED = prepare(true);

export class PgIdentityOps extends SqlIdentityOps {
  private readonly queries: Record<IdentityStatement, Prepared>;

  /** @param lockRows inside a transaction, lookups that precede an update take a row lock. */
  constructor(
    protected readonly execute: Execute,
    protected readonly lockRows: boolean,
  ) {
    super();
    this.queries = lockRows ? LOCKED : PLAIN;
  }

  protected async all(statement: IdentityStatement, params: unknown[]): Promise<Record<string, unknown>[]> {
    const q = this.queries[statement];
    return (await this.execute({ name: q.name, text: q.text, values: params })).rows as Record<string, unknown>[];
  }

  protected async run(statement: IdentityStatement, params: unknown[]): Promise<number> {
    const q = this.queries[statement];
    return (await this.execute({ name: q.name, text: q.text, values: params })).rowCount ?? 0;
  }
}
