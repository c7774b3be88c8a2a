// A bounded, short-lived, memory-only cache of unwrapped data keys. Opening a data key is one
// AES-GCM operation (plus, for a customer-managed key, a key lookup), as much as decrypting the
// value itself, and every read of a version would repeat it. Entries are keyed by the sealed
// value's Buffer object itself, so a lookup costs no hashing: stores that hand out the same row
// object for repeated reads (the SQLite read cache) hit, others simply miss. Entries expire after
// `ttlMs`, the oldest are dropped beyond `maxEntries`, and every dropped key is zeroed. Nothing
// here ever reaches the disk. A hit never skips the checks on the KMS key (state, permission):
// callers make those before asking.

interface Entry {
  key: Buffer;
  expiresAt: number;
}

export class DataKeyCache {
  private readonly entries = new Map<Buffer, Entry>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

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
    if (this.entries.has(sealed)) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first entry is the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    this.entries.set(sealed, { key: Buffer.from(key), expiresAt: now + this.ttlMs });
  }

  /** Drops and zeroes every entry (sealing, or a key becoming unusable). */
  clear(): void {
    for (const entry of this.entries.values()) entry.key.fill(0);
    this.entries.clear();
  }

  private drop(sealed: Buffer): void {
    const entry = this.entries.get(sealed);
    if (entry) entry.key.fill(0);
    this.entries.delete(sealed);
  }
}
