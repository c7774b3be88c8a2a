// PostgreSQL implementation of AuditOps (see ../audit-ops.ts).
import type { AuditOps } from "../audit-ops.js";
import type { Execute } from "./pg-ops.js";

export class PgAuditOps implements AuditOps {
  /** @param lockRows inside a transaction, lookups that precede an update take a row lock. */
  constructor(
    protected readonly execute: Execute,
    protected readonly lockRows: boolean,
  ) {}
}
