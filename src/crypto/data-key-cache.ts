// A bounded, short-lived, memory-only cache of unwrapped data keys. Unwrapping a data key is
// one AES-GCM operation, as much as decrypting the value itself, and every read of a version
// would repeat it. Entries are keyed by the sealed value's Buffer object itself, so a lookup
// costs no hashing: stores that hand out the same row object for repeated reads (the SQLite
// read cache) hit, others simply miss. Entries die with their row, expire after `ttlMs`, and
// are zeroed when dropped. Nothing here ever reaches the disk.

export class DataKeyCache {
  private entries = new WeakMap<Buffer, { key: Buffer; expiresAt: number }>();

  constructor(private readonly ttlMs = 5 * 60_000) {}

  get(sealed: Buffer, now: number): Buffer | undefined {
    const hit = this.entries.get(sealed);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(sealed);
      hit.key.fill(0);
      return undefined;
    }
    return hit.key;
  }

  set(sealed: Buffer, key: Buffer, now: number): void {
    this.entries.set(sealed, { key: Buffer.from(key), expiresAt: now + this.ttlMs });
  }

  clear(): void {
    this.entries = new WeakMap();
  }
}
