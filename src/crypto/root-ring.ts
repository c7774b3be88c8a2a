// The root keys this process holds in memory: none while sealed, one normally, two during a
// root-key rotation (the old one still opens blobs not yet re-wrapped). New blobs are always
// wrapped under the current key. Every blob names the key that wrapped it, so opening never tries
// keys in turn.
//
// Blob layout: format(1) | root key id (16 ascii) | aead(iv | tag | ciphertext).
import { AuthenticationFailed, openAead, sealAead } from "./aead.js";
import type { RootKey } from "./root-key.js";

const WRAP_FORMAT = 1;
const ID_BYTES = 16;

/** Raised when key material is needed while the server is sealed. */
export class SealedError extends Error {
  constructor() {
    super("the server is sealed");
    this.name = "SealedError";
  }
}

/** Raised when a blob names a root key this process does not hold (yet). */
export class UnknownRootKeyError extends Error {
  constructor(readonly rootKeyId: string) {
    super(`blob is wrapped under root key ${rootKeyId}, which this process does not hold`);
    this.name = "UnknownRootKeyError";
  }
}

/** The first bytes of every blob wrapped under `rootKeyId` (what the store searches for). */
export function rootWrapPrefix(rootKeyId: string): Buffer {
  return Buffer.concat([Buffer.from([WRAP_FORMAT]), Buffer.from(rootKeyId, "ascii")]);
}

/** The id of the root key that wrapped `blob`, or undefined if it is not a root-wrapped blob. */
export function rootKeyIdOf(blob: Buffer): string | undefined {
  if (blob.length < 1 + ID_BYTES || blob[0] !== WRAP_FORMAT) return undefined;
  return blob.toString("ascii", 1, 1 + ID_BYTES);
}

export class RootRing {
  private readonly keys = new Map<string, RootKey>();
  private current: RootKey | undefined;

  get sealed(): boolean {
    return this.current === undefined;
  }

  get currentId(): string | undefined {
    return this.current?.id;
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  /** A held key (custody needs it to wrap one root key under another). */
  key(id: string): RootKey | undefined {
    return this.keys.get(id);
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** Adds a key; `makeCurrent` makes new blobs be wrapped under it. */
  add(key: RootKey, makeCurrent: boolean): void {
    const held = this.keys.get(key.id);
    if (!held) this.keys.set(key.id, { id: key.id, material: Buffer.from(key.material) });
    if (makeCurrent) this.current = this.keys.get(key.id);
  }

  /** Forgets one key (after a rotation), zeroing its bytes. */
  remove(id: string): void {
    const key = this.keys.get(id);
    if (!key || key === this.current) return;
    key.material.fill(0);
    this.keys.delete(id);
  }

  /** Forgets every key (sealing). */
  wipe(): void {
    for (const key of this.keys.values()) key.material.fill(0);
    this.keys.clear();
    this.current = undefined;
  }

  wrap(plaintext: Buffer, aad: string): Buffer {
    const key = this.current;
    if (!key) throw new SealedError();
    return Buffer.concat([rootWrapPrefix(key.id), sealAead(key.material, plaintext, Buffer.from(aad))]);
  }

  /** Opens a blob under whichever held key wrapped it; a blob that does not authenticate never opens. */
  unwrap(blob: Buffer, aad: string): Buffer {
    if (this.current === undefined) throw new SealedError();
    const id = rootKeyIdOf(blob);
    if (id === undefined) throw new AuthenticationFailed();
    const key = this.keys.get(id);
    if (!key) throw new UnknownRootKeyError(id);
    return openAead(key.material, blob.subarray(1 + ID_BYTES), Buffer.from(aad));
  }

  /** Re-wraps a blob under the current key (root-key rotation). */
  rewrap(blob: Buffer, aad: string): Buffer {
    const plaintext = this.unwrap(blob, aad);
    try {
      return this.wrap(plaintext, aad);
    } finally {
      plaintext.fill(0);
    }
  }
}
