// PostgreSQL implementation of KeyOps (see ../keys-ops.ts).
import type { KeyOps } from "../keys-ops.js";
import type { Execute } from "./pg-ops.js";

export class PgKeyOps implements KeyOps {
  /** @param lockRows inside a transaction, lookups that precede an update take a row lock. */
  constructor(
    protected readonly execute: Execute,
    protected readonly lockRows: boolean,
  ) {}
}
