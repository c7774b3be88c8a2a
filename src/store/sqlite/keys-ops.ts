// SQLite implementation of KeyOps (see ../keys-ops.ts).
import type { KeyOps } from "../keys-ops.js";
import type { StatementCache } from "./connection.js";

export class SqliteKeyOps implements KeyOps {
  constructor(
    protected readonly statements: StatementCache,
    protected readonly assertUsable: () => void,
  ) {}
}
