// Applying the PostgreSQL migrations. A transaction-scoped advisory lock makes processes that start
// at once take turns: the first migrates, the rest then find nothing left to do. The lock goes
// away with the transaction, even if the process dies holding it.

import type { PoolClient } from "pg";
import type { Migration } from "../migrations/sqlite.js";

export async function applyMigrations(client: PoolClient, migrations: readonly Migration[]): Promise<void> {
  assertOrdered(migrations);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('coffer.schema_migrations'))");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const known = migrations.at(-1)?.version ?? 0;
    if (newest > known) {
      // An older build must not write into a schema it does not know.
      throw new Error(`database schema is at version ${newest}, newer than this build's ${known}`);
    }
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)", [
        m.version,
        m.description,
        Date.now(),
      ]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    if (!Number.isSafeInteger(m.version) || m.version < 1 || (prev && m.version <= prev.version)) {
      throw new Error(`migration versions must be increasing positive integers (at ${m.version})`);
    }
  });
}
