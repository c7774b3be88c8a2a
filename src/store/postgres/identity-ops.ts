// PostgreSQL implementation of IdentityOps (see ../identity-ops.ts).
import type { IdentityOps } from "../identity-ops.js";
import type { Execute } from "./pg-ops.js";

export class PgIdentityOps implements IdentityOps {
  /** @param lockRows inside a transaction, lookups that precede an update take a row lock. */
  constructor(
    protected readonly execute: Execute,
    protected readonly lockRows: boolean,
  ) {}
}
