// SQLite implementation of AuditOps (see ../audit-ops.ts).
import type { AuditOps } from "../audit-ops.js";
import type { StatementCache } from "./connection.js";

export class SqliteAuditOps implements AuditOps {
  constructor(
    protected readonly statements: StatementCache,
    protected readonly assertUsable: () => void,
  ) {}
}
