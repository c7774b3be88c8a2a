// A cache of the two rows every GetSecretValue reads (the secret by name, one version), for the
// reader connection. Commits of this process empty it at once (the store calls invalidate()
// after each COMMIT). Commits of other processes are noticed through `PRAGMA data_version`,
// which changes whenever another connection commits; it is asked once per event-loop turn,
// because each SQLite read takes and drops a WAL read lock with two fcntl() system calls, and
// those, not the lookups, are what a read costs under load. A request that arrives in a turn
// therefore sees every commit made before that turn began.
import type { SecretRow, VersionRow } from "../store.js";
import type { Connection, Statement } from "./connection.js";

const MAX_ENTRIES = 10_000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export class ReadCache {
  private readonly dataVersion: Statement;
  private seen: unknown = undefined;
  private checkedThisTurn = false;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };
  private readonly secrets = new Map<string, SecretRow>();
  private readonly versions = new Map<string, VersionRow>();

  constructor(reader: Connection) {
    this.dataVersion = reader.prepare("PRAGMA data_version").pluck();
  }

  /** Empties the cache now (after a commit of this process). */
  invalidate(): void {
    this.secrets.clear();
    this.versions.clear();
  }

  /** Empties the cache if another connection committed since the last check. */
  private fresh(): void {
    if (this.checkedThisTurn) return;
    this.checkedThisTurn = true;
    setImmediate(this.endTurn);
    const current = this.dataVersion.get();
    if (current !== this.seen) {
      this.seen = current;
      this.secrets.clear();
      this.versions.clear();
    }
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
