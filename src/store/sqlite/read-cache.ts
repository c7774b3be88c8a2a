// A cache of the two rows every GetSecretValue reads (the secret by name, one version), for the
// reader connection. It is emptied when the read cache generation moves: triggers raise it with
// every change to the secrets and versions tables, and with nothing else, so the audit trail's
// commits (many a second under load) leave the cache, and the data keys unwrapped for its rows,
// alone. A commit of this process is seen at once (the store hands the generation its writer
// sees after each COMMIT to committed()). Commits of other processes are seen through the
// reader, which asks once per event-loop turn, because each SQLite read takes and drops a WAL
// read lock with two fcntl() system calls, and those, not the lookups, are what a read costs
// under load. A request that arrives in a turn therefore sees every commit made before that
// turn began.
import type { SecretRow, VersionRow } from "../store.js";
import type { Connection, Statement } from "./connection.js";

const MAX_ENTRIES = 10_000;

export const GENERATION_SQL = "SELECT value FROM read_cache_generation WHERE id = 1";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export class ReadCache {
  // Prepared on first use: the table may not exist before the store's migrations have run.
  private generation: Statement | undefined;
  private seen: unknown = undefined;
  private checkedThisTurn = false;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };
  private readonly secrets = new Map<string, SecretRow>();
  private readonly versions = new Map<string, VersionRow>();

  constructor(private readonly reader: Connection) {}

  /** After a commit of this process: `generation` is what the writer reads right after it. */
  committed(generation: unknown): void {
    this.moveTo(generation);
  }

  /** Empties the cache if another connection changed its tables since the last check. */
  private fresh(): void {
    if (this.checkedThisTurn) return;
    this.checkedThisTurn = true;
    setImmediate(this.endTurn);
    this.generation ??= this.reader.prepare(GENERATION_SQL).pluck();
    this.moveTo(this.generation.get());
  }

  private moveTo(generation: unknown): void {
    if (generation === this.seen) return;
    this.seen = generation;
    this.secrets.clear();
    this.versions.clear();
  }

  secretByName(accountId: string, region: string, name: string, load: () => SecretRow | undefined): SecretRow | undefined {
    this.fresh();
    const key = `${accountId}\u0000${region}\u0000${name}`;
    let row = this.secrets.get(key);
    if (row === undefined) {
      row = load();
      if (row === undefined) return undefined;
      if (this.secrets.size >= MAX_ENTRIES) this.secrets.clear();
      // Rows handed out are shared between requests, so nobody may change them in place.
      this.secrets.set(key, deepFreeze(row));
    }
    return row;
  }

  version(secretArn: string, versionId: string, load: () => VersionRow | undefined): VersionRow | undefined {
    this.fresh();
    const key = `${secretArn}\u0000${versionId}`;
    let row = this.versions.get(key);
    if (row === undefined) {
      row = load();
      if (row === undefined) return undefined;
      if (this.versions.size >= MAX_ENTRIES) this.versions.clear();
      this.versions.set(key, Object.freeze(row));
    }
    return row;
  }
}
