// SQLite implementation of IdentityOps (see ../identity-ops.ts): the shared statements of
// ../identity-sql.ts, run on this instance's connection.
import { IDENTITY_SQL, SqlIdentityOps, type IdentityStatement } from "../identity-sql.js";
import type { StatementCache } from "./connection.js";

export class SqliteIdentityOps extends SqlIdentityOps {
  constructor(
    protected readonly statements: StatementCache,
    protected readonly assertUsable: () => void,
  ) {
    super();
  }

  protected async all(statement: IdentityStatement, params: unknown[]): Promise<Record<string, unknown>[]> {
    this.assertUsable();
    return this.statements.get(IDENTITY_SQL[statement]).all(...params) as Record<string, unknown>[];
  }

  protected async run(statement: IdentityStatement, params: unknown[]): Promise<number> {
    this.assertUsable();
    return this.statements.get(IDENTITY_SQL[statement]).run(...params).changes;
  }
}
