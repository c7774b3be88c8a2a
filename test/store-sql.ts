// SQL run straight against a test server's store, as an intruder (or the passing of time) would
// change it: the only way a test reaches what no API can.
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { StoreKind, TestServer } from "./harness.js";

export type Row = Record<string, unknown>;

/** Runs SQL (with ? placeholders) straight against the server's store, as an intruder would. */
export async function sql(server: TestServer, store: StoreKind, statements: Array<[string, unknown[]?]>): Promise<Row[]> {
  let last: Row[] = [];
  if (store === "sqlite") {
    const db = new Database(join(server.dataDir, "coffer.db"));
    try {
      for (const [text, params = []] of statements) {
        const statement = db.prepare(text);
        if (statement.reader) last = statement.all(...params) as Row[];
        else statement.run(...params);
      }
    } finally {
      db.close();
    }
    return last;
  }
  const client = new pg.Client({ connectionString: server.storeUrl });
  await client.connect();
  try {
    for (const [text, params = []] of statements) {
      let n = 0;
      last = (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as Row[];
    }
  } finally {
    await client.end();
  }
  return last;
}
