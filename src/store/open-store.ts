// Picks the backend from a store URL and returns it migrated and ready.
//   sqlite:<path>            a file (its parent directory is created); sqlite:///abs/path also works
//   postgres://… | postgresql://…   a PostgreSQL database

import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { makeDirectory } from "./make-directory.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

export async function openStore(url: string): Promise<Store> {
  const store = await construct(url);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

/**
 * As openStore, for tools that read what a server stored: a SQLite file that is not there is an
 * error, not a new empty store.
 */
export async function openExistingStore(url: string): Promise<Store> {
  if (url.startsWith("sqlite:")) {
    const path = sqlitePath(url);
    if (!existsSync(path)) throw new Error(`no store at ${resolve(path)}`);
  }
  return openStore(url);
}

async function construct(url: string): Promise<Store> {
  if (url.startsWith("sqlite:")) {
    const path = sqlitePath(url);
    makeDirectory(dirname(resolve(path)));
    return new SqliteStore(path);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return new PostgresStore(url);
  // Only the scheme is echoed: the rest of a URL may carry a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `unsupported store URL${scheme ? ` scheme "${scheme}"` : ""}: expected sqlite:<path> or postgres://…`,
  );
}

function sqlitePath(url: string): string {
  let path = url.slice("sqlite:".length);
  // sqlite://x and sqlite:///abs follow the URL habit of an empty authority.
  if (path.startsWith("//")) path = path.slice(2);
  if (path === "" || path === ":memory:") throw new Error("sqlite: store URL needs a file path");
  return path;
}
