// SQLite implementation of IdentityOps (see ../identity-ops.ts).
import type { IdentityOps } from "../identity-ops.js";
import type { StatementCache } from "./connection.js";

export class SqliteIdentityOps implements IdentityOps {
  constructor(
    protected readonly statements: StatementCache,
    protected readonly assertUsable: () => void,
  ) {}
}
