// A throwaway PostgreSQL database for tests: created empty under a random name on the server named
// by COFFER_TEST_PG_URL, dropped (with any leftover connections) when the test is done.

import { randomBytes } from "node:crypto";
import pg from "pg";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drops the database; safe to call more than once. */
  drop(): Promise<void>;
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const baseUrl = process.env["COFFER_TEST_PG_URL"] ?? DEFAULT_URL;
  const name = `coffer_test_${randomBytes(8).toString("hex")}`;
  await withAdminClient(baseUrl, async (client) => {
    try {
      // A linguistic (ICU en-US) default collation makes any ordering that forgot COLLATE "C"
      // come out differently from SQLite, so the contract tests catch it.
      await client.query(
        `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`,
      );
    } catch {
      // Servers before 15, or built without ICU.
      await client.query(`CREATE DATABASE ${name} TEMPLATE template0`);
    }
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdminClient(url: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
