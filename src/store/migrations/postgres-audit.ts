// Postgres schema steps for audit trail (CloudTrail records, chain, digests, sink cursors). Versions 100–199 belong here.
import type { Migration } from "./migration.js";

export const postgresAuditMigrations: readonly Migration[] = [];
