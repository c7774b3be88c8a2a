// Postgres schema steps for identity and access (IAM users, groups, roles, policies, STS sessions). Versions 200–299 belong here.
import type { Migration } from "./migration.js";

export const postgresIdentityMigrations: readonly Migration[] = [];
