// Postgres schema steps for KMS keys, aliases, key policies, sealing and root-key rotation. Versions 300–399 belong here.
import type { Migration } from "./migration.js";

export const postgresKeyMigrations: readonly Migration[] = [];
