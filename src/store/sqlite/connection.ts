// Opening a SQLite connection with the settings every Coffer connection needs, and a cache of
// its prepared statements.

import Database from "better-sqlite3";

export type Connection = Database.Database;
export type Statement = Database.Statement;

export interface ConnectionOptions {
  /** How long a write waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** Refuse writes on this connection (the reader). */
  queryOnly: boolean;
}

export function openConnection(path: string, options: ConnectionOptions): Connection {
  const db = new Database(path, { timeout: options.busyTimeoutMs });
  try {
    // WAL lets the reader connection (and other processes) read a committed snapshot while a
    // write transaction is open; without it the reader/writer split would block instead.
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (String(mode).toLowerCase() !== "wal") {
      throw new Error(`SQLite refused WAL journal mode for ${path} (got ${String(mode)})`);
    }
    // FULL makes each commit fsync the WAL, so an acknowledged write survives a crash of the
    // process and of the machine; NORMAL would only survive the former.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    if (options.queryOnly) db.pragma("query_only = ON");
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Prepares each SQL text once per connection. */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Connection) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
