// Custody of the root key in one process: where it comes from at start (file-key mode: the data
// dir's root.key; Shamir mode: operators' shares, so the process starts sealed), unsealing and
// sealing, root-key rotations started here or by other processes, and what `status` reports.
import { join } from "node:path";
import type { KeyHierarchyRecord, RootRotationRecord } from "../store/keys-ops.js";
import type { Store } from "../store/store.js";
import type { Keyring, RootKeyRefresher } from "./keyring.js";
import {
  loadOrCreateRootKeyFile,
  newRootKey,
  readRootKeyFile,
  removeOldRootKeyFile,
  replaceRootKeyFile,
  rootKeyVerifier,
  verifiesRootKey,
  type RootKey,
} from "./root-key.js";
import { advanceRootRotation, beginRootRotation, isActive, unwrapRootKey, type AdvanceResult } from "./root-rotation.js";
import { combineShares, parseShare, splitRootKey, ShareFormatError } from "./shamir.js";

export { ShareFormatError } from "./shamir.js";

/** A refusal the operator can act on (wrong shares, a rotation already running, …). */
export class CustodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustodyError";
  }
}

export interface UnsealProgress {
  sealed: boolean;
  /** Valid-looking shares held toward the threshold (0 once unsealed). */
  progress: number;
  threshold: number;
}

export interface CustodyStatus {
  mode: "file" | "shamir";
  sealed: boolean;
  rootKeyId: string | undefined;
  shares: number | undefined;
  threshold: number | undefined;
  progress: number;
  rotation: RootRotationRecord | undefined;
}

export interface StartedRootRotation {
  rotationId: string;
  newRootKeyId: string;
  /** Shamir mode: the new key's shares, shown once. */
  shares: string[] | undefined;
}

/** What one process's custody tells the other processes of its server (--workers). */
export type CustodyEvent = { kind: "share"; share: string } | { kind: "seal" };

/** The other processes of this server, as the custody sees them (server/custody-peers.ts). */
export interface CustodyPeers {
  publish(event: CustodyEvent): void;
  subscribe(handler: (event: CustodyEvent) => void): void;
}

const LEGACY_ROOT_KEY_SETTING = "root-key-id";

const mismatch = (found: string, expected: string) =>
  new Error(
    `the root key in the data directory (id ${found}) is not the one this store was sealed with (id ${expected}); every process of one store needs the same root.key`,
  );

export class KeyCustody implements RootKeyRefresher {
  /** Shares given so far, by the root key they belong to, then by x coordinate. */
  private readonly pending = new Map<string, Map<number, Buffer>>();
  private unsealing: Promise<UnsealProgress> = Promise.resolve({ sealed: true, progress: 0, threshold: 0 });
  private peers: CustodyPeers | undefined;

  private constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    private readonly rootKeyPath: string,
    private hierarchy: KeyHierarchyRecord,
  ) {
    keyring.setRefresher(this);
    keyring.custody = this;
  }

  get mode(): "file" | "shamir" {
    return this.hierarchy.mode;
  }

  get sealed(): boolean {
    return this.keyring.sealed;
  }

  /**
   * Opens the key hierarchy of a store at process start. File-key mode (the default) loads or
   * makes <data-dir>/root.key; a store initialised with Shamir shares starts sealed.
   */
  static async open(store: Store, keyring: Keyring, dataDir: string): Promise<KeyCustody> {
    const path = join(dataDir, "root.key");
    let hierarchy = await store.keys.getHierarchy();
    const rotation = await store.keys.getRootRotation();
    if (hierarchy?.mode === "shamir") {
      if (readRootKeyFile(path)) {
        throw new Error(`${path} exists, but this store's root key is held as Shamir shares: remove the file (it must not rest on disk) and start again`);
      }
      return new KeyCustody(store, keyring, path, hierarchy);
    }
    if (!hierarchy) {
      // First start (or a store made before the key hierarchy was recorded).
      const legacy = await store.getSetting(LEGACY_ROOT_KEY_SETTING);
      const existing = readRootKeyFile(path);
      if (legacy !== undefined && !existing) throw new Error(`${path} is missing; this store's data is wrapped under root key ${legacy}`);
      const { key } = loadOrCreateRootKeyFile(path);
      if (legacy !== undefined && legacy !== key.id) throw mismatch(key.id, legacy);
      hierarchy = { mode: "file", rootKeyId: key.id, shares: null, threshold: null, verifier: null, updatedAt: Date.now() };
      const record = hierarchy;
      await store.transaction(async (tx) => {
        if (!(await tx.keys.getHierarchy())) await tx.keys.putHierarchy(record);
      });
      hierarchy = (await store.keys.getHierarchy()) ?? hierarchy;
    }
    const key = readRootKeyFile(path);
    if (!key) throw new Error(`${path} is missing; this store's data is wrapped under root key ${hierarchy.rootKeyId}`);
    const custody = new KeyCustody(store, keyring, path, hierarchy);
    if (isActive(rotation) && (key.id === rotation.oldKeyId || key.id === rotation.newKeyId)) {
      custody.installDuringRotation(key, rotation);
    } else if (key.id === hierarchy.rootKeyId) {
      keyring.ring.add(key, true);
    } else {
      throw mismatch(key.id, hierarchy.rootKeyId);
    }
    return custody;
  }

  /**
   * Shamir mode, before the first start: makes the root key, records its verifier and returns
   * the key (for bootstrapping the account) with its shares. Refuses a store that already has keys.
   */
  static async initShamir(store: Store, shares: number, threshold: number): Promise<{ key: RootKey; shares: string[] }> {
    if ((await store.keys.getHierarchy()) || (await store.getSetting(LEGACY_ROOT_KEY_SETTING)) !== undefined || (await store.getSetting("bootstrap"))) {
      throw new CustodyError("this store is already initialised; coffer operator init only prepares a new, empty store");
    }
    const key = newRootKey();
    const texts = await splitRootKey(key, shares, threshold);
    const record: KeyHierarchyRecord = { mode: "shamir", rootKeyId: key.id, shares, threshold, verifier: rootKeyVerifier(key), updatedAt: Date.now() };
    await store.transaction(async (tx) => {
      if (await tx.keys.getHierarchy()) throw new CustodyError("this store was initialised a moment ago by another process");
      await tx.keys.putHierarchy(record);
    });
    return { key, shares: texts };
  }

  /** Holds both keys of a running rotation, the new one current; finishes a file switch a crash interrupted. */
  private installDuringRotation(key: RootKey, rotation: RootRotationRecord): void {
    const ring = this.keyring.ring;
    if (key.id === rotation.oldKeyId) {
      const next = unwrapRootKey(rotation.newWrappedByOld as Buffer, rotation.newKeyId, key);
      ring.add(key, false);
      ring.add(next, true);
      if (this.mode === "file") replaceRootKeyFile(this.rootKeyPath, next);
      next.material.fill(0);
    } else {
      const previous = unwrapRootKey(rotation.oldWrappedByNew as Buffer, rotation.oldKeyId, key);
      ring.add(previous, false);
      ring.add(key, true);
      previous.material.fill(0);
    }
  }

  /**
   * The other processes of this server (--workers): shares accepted and seals done here are told
   * to them, and theirs applied here, so that every process unseals from the same shares.
   */
  joinPeers(peers: CustodyPeers): void {
    this.peers = peers;
    peers.subscribe((event) => {
      if (event.kind === "seal") {
        if (this.mode === "shamir") this.sealHere();
        return;
      }
      // The process that took the share answered its caller; here a refusal changes nothing.
      this.unseal(event.share, false).catch(() => undefined);
    });
  }

  /** Takes one operator's share; unseals once `threshold` shares reconstruct the root key. */
  unseal(shareText: string, tellPeers = true): Promise<UnsealProgress> {
    // One at a time: two shares arriving together must not both complete a combination.
    const next = this.unsealing.then(
      () => this.unsealOne(shareText, tellPeers),
      () => this.unsealOne(shareText, tellPeers),
    );
    this.unsealing = next;
    return next;
  }

  private async unsealOne(shareText: string, tellPeers: boolean): Promise<UnsealProgress> {
    const threshold = this.hierarchy.threshold ?? 0;
    if (!this.sealed) return { sealed: false, progress: 0, threshold };
    if (this.mode !== "shamir") throw new CustodyError("this server keeps its root key in root.key; there is nothing to unseal");
    const share = parseShare(shareText);
    this.hierarchy = (await this.store.keys.getHierarchy()) ?? this.hierarchy;
    const rotation = await this.store.keys.getRootRotation();
    const acceptable = [this.hierarchy.rootKeyId, ...(isActive(rotation) ? [rotation.newKeyId] : [])];
    if (!acceptable.includes(share.rootKeyId)) {
      throw new ShareFormatError(
        `That share belongs to root key ${share.rootKeyId}, which is no longer in use (the root key is ${this.hierarchy.rootKeyId}); use a share printed for the current key.`,
      );
    }
    let held = this.pending.get(share.rootKeyId);
    if (!held) this.pending.set(share.rootKeyId, (held = new Map()));
    if (held.has(share.index)) throw new ShareFormatError("That share has already been given; each operator gives a different one.");
    held.set(share.index, share.bytes);
    if (tellPeers) this.peers?.publish({ kind: "share", share: shareText });
    if (held.size < (this.hierarchy.threshold ?? Infinity)) return { sealed: true, progress: held.size, threshold };

    const candidate = await combineShares([...held.values()]);
    this.forgetShares();
    const expected = share.rootKeyId === this.hierarchy.rootKeyId ? this.hierarchy.verifier : (rotation?.newVerifier ?? null);
    if (candidate.id !== share.rootKeyId || !verifiesRootKey(candidate, expected)) {
      candidate.material.fill(0);
      throw new CustodyError(
        `The ${threshold} shares given do not reconstruct the root key: at least one of them is wrong. Unseal progress was reset; start again.`,
      );
    }
    if (isActive(rotation)) this.installDuringRotation(candidate, rotation);
    else this.keyring.ring.add(candidate, true);
    candidate.material.fill(0);
    return { sealed: false, progress: 0, threshold };
  }

  private forgetShares(): void {
    for (const held of this.pending.values()) for (const bytes of held.values()) bytes.fill(0);
    this.pending.clear();
  }

  /** Forgets the root key and everything unwrapped under it. Only Shamir mode can be unsealed again. */
  seal(): void {
    if (this.mode !== "shamir") throw new CustodyError("sealing needs a root key held as Shamir shares (coffer operator init); this server reads root.key at start");
    this.sealHere();
    this.peers?.publish({ kind: "seal" });
  }

  private sealHere(): void {
    this.forgetShares();
    this.keyring.wipe();
  }

  async status(): Promise<CustodyStatus> {
    const rotation = await this.store.keys.getRootRotation();
    const hierarchy = (await this.store.keys.getHierarchy()) ?? this.hierarchy;
    let progress = 0;
    for (const held of this.pending.values()) progress = Math.max(progress, held.size);
    return {
      mode: hierarchy.mode,
      sealed: this.sealed,
      rootKeyId: hierarchy.rootKeyId,
      shares: hierarchy.shares ?? undefined,
      threshold: hierarchy.threshold ?? undefined,
      progress,
      rotation,
    };
  }

  /**
   * Starts a root-key rotation; the work itself runs in the background (advance()). File-key mode
   * replaces root.key (the old one stays as root.key.old until the rotation completes); Shamir
   * mode returns the new key's shares.
   */
  async startRotation(now: number): Promise<StartedRootRotation> {
    if (this.sealed) throw new CustodyError("the server is sealed");
    const current = await this.store.keys.getRootRotation();
    if (isActive(current)) throw new CustodyError(`root-key rotation ${current.rotationId} is still in progress`);
    this.hierarchy = (await this.store.keys.getHierarchy()) ?? this.hierarchy;
    const old = this.keyring.ring.key(this.hierarchy.rootKeyId);
    if (!old || this.keyring.ring.currentId !== old.id) throw new CustodyError("this process does not hold the store's current root key");
    const next = newRootKey();
    try {
      const shares = this.mode === "shamir" ? await splitRootKey(next, this.hierarchy.shares ?? 0, this.hierarchy.threshold ?? 0) : undefined;
      const { record } = await beginRootRotation(this.store, old, next, this.mode === "shamir" ? rootKeyVerifier(next) : null, now);
      if (this.mode === "file") replaceRootKeyFile(this.rootKeyPath, next);
      this.keyring.ring.add(next, true);
      return { rotationId: record.rotationId, newRootKeyId: next.id, shares };
    } finally {
      next.material.fill(0);
    }
  }

  /** Rotation work until `deadline`; the caller holds the rotation lease. */
  advance(deadline: number, graceMs: number): Promise<AdvanceResult> {
    return advanceRootRotation(this.store, this.keyring, deadline, graceMs, (done) => this.forgetOldKey(done));
  }

  /**
   * Learns what other processes did: the new key of a rotation one of them started (and, in
   * file-key mode, puts it into this data dir's root.key too), or the end of a rotation.
   */
  async refresh(): Promise<void> {
    if (this.sealed) return;
    const rotation = await this.store.keys.getRootRotation();
    if (!rotation) return;
    const ring = this.keyring.ring;
    if (isActive(rotation)) {
      if (ring.has(rotation.newKeyId) || !ring.has(rotation.oldKeyId)) return;
      const old = ring.key(rotation.oldKeyId) as RootKey;
      const next = unwrapRootKey(rotation.newWrappedByOld as Buffer, rotation.newKeyId, old);
      ring.add(next, true);
      if (this.mode === "file") replaceRootKeyFile(this.rootKeyPath, next);
      next.material.fill(0);
      return;
    }
    if (ring.has(rotation.oldKeyId) && ring.currentId === rotation.newKeyId) this.forgetOldKey(rotation);
  }

  private forgetOldKey(done: RootRotationRecord): void {
    this.keyring.ring.remove(done.oldKeyId);
    if (this.mode === "file") removeOldRootKeyFile(this.rootKeyPath);
  }
}
