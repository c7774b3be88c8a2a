// Applying the SQLite migrations. BEGIN IMMEDIATE takes the database's write lock up front, so
// when several processes start at once the first migrates and the rest wait (busy_timeout), then
// find nothing left to do.

import type { Migration } from "../migrations/sqlite.js";
import type { Connection } from "./connection.js";

export function applyMigrations(db: Connection, migrations: readonly Migration[]): void {
  assertOrdered(migrations);
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER NOT NULL PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const applied = new Set(
      (db.prepare("SELECT version FROM schema_migrations").all() as Array<{ version: number }>).map((r) => r.version),
    );
    const newest = Math.max(0, ...applied);
    const known = migrations.at(-1)?.version ?? 0;
    if (newest > known) {
      // An older build must not write into a schema it does not know.
      throw new Error(`database schema is at version ${newest}, newer than this build's ${known}`);
    }
    const record = db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)");
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.description, Date.now());
    }
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
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
