// Online root-key rotation. Starting one records, in one store row, each root key wrapped under
// the other, so any process holding either key can read blobs of both while the work runs. The
// work re-wraps every blob wrapped under the old key (KMS key material, rotated material, access
// keys' secrets, the audit signing key) in small batches, each a compare-and-set, so it can stop anywhere (a crash, a
// restart, another process taking over the lease) and simply continue. When no blob is left under
// the old key it waits a grace period (other processes learn the new key on their next refresh
// and stop wrapping under the old one), checks once more, and then forgets the old key.
import { randomUUID } from "node:crypto";
import { openAead, sealAead } from "./aead.js";
import type { KeyHierarchyRecord, RootRotationRecord, RootWrappedBlob, RootWrappedKind } from "../store/keys-ops.js";
import { ROOT_WRAPPED_KINDS } from "../store/keys-ops.js";
import type { Store } from "../store/store.js";
import { materialAad, type Keyring } from "./keyring.js";
import { rootKeyFromMaterial, type RootKey } from "./root-key.js";
import { rootWrapPrefix } from "./root-ring.js";

const BATCH = 200;

/** What binds each kind of root-wrapped blob to its row (must match the code that wrapped it). */
export function rootWrappedAad(kind: RootWrappedKind, id: string): string {
  switch (kind) {
    case "kms-key":
      return id; // the key ARN (the first material's binding)
    case "kms-material": {
      const space = id.indexOf(" ");
      return materialAad(id.slice(0, space), id.slice(space + 1));
    }
    case "access-key":
      return `coffer:access-key:${id}`; // server/access-keys.ts accessKeyAad
    case "audit-signing-key":
      return `coffer:audit-signing-key:${id}`; // audit/signing-key.ts signingKeyAad
  }
}

const rootKeyAad = (id: string) => `coffer:root-key:${id}`;

/** One root key wrapped under another, in the root-wrapped blob layout. */
export function wrapRootKey(key: RootKey, under: RootKey): Buffer {
  return Buffer.concat([rootWrapPrefix(under.id), sealAead(under.material, key.material, Buffer.from(rootKeyAad(key.id)))]);
}

export function unwrapRootKey(blob: Buffer, expectedId: string, under: RootKey): RootKey {
  const key = rootKeyFromMaterial(openAead(under.material, blob.subarray(17), Buffer.from(rootKeyAad(expectedId))));
  if (key.id !== expectedId) throw new Error("the wrapped root key is not the one the rotation record names");
  return key;
}

export type ActiveRotation = RootRotationRecord & { phase: "rewrapping" | "finishing" };

export const isActive = (rotation: RootRotationRecord | undefined): rotation is ActiveRotation =>
  rotation !== undefined && rotation.phase !== "done";

/** Counts blobs under a root key, every kind. */
export async function countWrappedUnder(store: Store, rootKeyId: string): Promise<number> {
  let total = 0;
  for (const kind of ROOT_WRAPPED_KINDS) total += await store.keys.countRootWrapped(kind, rootWrapPrefix(rootKeyId));
  return total;
}

export interface StartedRotation {
  record: RootRotationRecord;
  newKey: RootKey;
}

/** Records a new rotation from `oldKey` to a fresh key (the caller holds the rotation lease). */
export async function beginRootRotation(
  store: Store,
  oldKey: RootKey,
  newKey: RootKey,
  newVerifier: Buffer | null,
  now: number,
): Promise<StartedRotation> {
  const record: RootRotationRecord = {
    rotationId: randomUUID(),
    oldKeyId: oldKey.id,
    newKeyId: newKey.id,
    newWrappedByOld: wrapRootKey(newKey, oldKey),
    oldWrappedByNew: wrapRootKey(oldKey, newKey),
    newVerifier,
    phase: "rewrapping",
    startedAt: now,
    finishedAt: null,
    total: await countWrappedUnder(store, oldKey.id),
    rewrapped: 0,
  };
  await store.transaction((tx) => tx.keys.putRootRotation(record));
  return { record, newKey };
}

export interface AdvanceResult {
  state: "idle" | "working" | "finished";
  record?: RootRotationRecord;
}

/**
 * Does rotation work until `deadline` (ms) and returns; call again to continue. `graceMs` is how
 * long to wait, once nothing is left under the old key, before forgetting it.
 */
export async function advanceRootRotation(
  store: Store,
  keyring: Keyring,
  deadline: number,
  graceMs: number,
  onFinished: (record: RootRotationRecord, hierarchy: KeyHierarchyRecord) => void,
): Promise<AdvanceResult> {
  let record = await store.keys.getRootRotation();
  if (!isActive(record)) return { state: "idle" };
  const ring = keyring.ring;
  if (!ring.has(record.oldKeyId) || ring.currentId !== record.newKeyId) return { state: "idle", record };

  if (record.phase === "rewrapping") {
    const prefix = rootWrapPrefix(record.oldKeyId);
    let moved = 0;
    let seen = 0;
    for (const kind of ROOT_WRAPPED_KINDS) {
      let after: string | undefined;
      for (;;) {
        const batch = await store.keys.listRootWrapped(kind, prefix, after, BATCH);
        if (batch.length === 0) break;
        seen += batch.length;
        moved += await rewrapBatch(store, keyring, batch);
        after = batch.at(-1)?.id;
        if (Date.now() >= deadline) {
          record = { ...record, rewrapped: Math.min(record.total, record.rewrapped + moved) };
          const snapshot = record;
          await store.transaction((tx) => tx.keys.putRootRotation(snapshot));
          return { state: "working", record };
        }
      }
    }
    record = {
      ...record,
      rewrapped: Math.min(record.total, record.rewrapped + moved),
      // A pass that found nothing left: start the grace period (finishedAt holds its start).
      ...(seen === 0 ? { phase: "finishing" as const, finishedAt: Date.now() } : {}),
    };
    const snapshot = record;
    await store.transaction((tx) => tx.keys.putRootRotation(snapshot));
    return { state: "working", record };
  }

  // finishing
  if (Date.now() - (record.finishedAt ?? 0) < graceMs) return { state: "working", record };
  if ((await countWrappedUnder(store, record.oldKeyId)) > 0) {
    const back: RootRotationRecord = { ...record, phase: "rewrapping", finishedAt: null };
    await store.transaction((tx) => tx.keys.putRootRotation(back));
    return { state: "working", record: back };
  }
  const hierarchy = await store.keys.getHierarchy();
  if (!hierarchy) throw new Error("key hierarchy record missing during a root-key rotation");
  const done: RootRotationRecord = {
    ...record,
    phase: "done",
    newWrappedByOld: null,
    oldWrappedByNew: null,
    finishedAt: Date.now(),
    rewrapped: record.total,
  };
  const nextHierarchy: KeyHierarchyRecord = {
    ...hierarchy,
    rootKeyId: record.newKeyId,
    verifier: hierarchy.mode === "shamir" ? record.newVerifier : null,
    updatedAt: Date.now(),
  };
  await store.transaction(async (tx) => {
    await tx.keys.putHierarchy(nextHierarchy);
    await tx.keys.putRootRotation(done);
  });
  onFinished(done, nextHierarchy);
  return { state: "finished", record: done };
}

async function rewrapBatch(store: Store, keyring: Keyring, batch: readonly RootWrappedBlob[]): Promise<number> {
  const replacements = batch.map((blob) => ({ blob, next: keyring.ring.rewrap(blob.blob, rootWrappedAad(blob.kind, blob.id)) }));
  return store.transaction(async (tx) => {
    let changed = 0;
    for (const { blob, next } of replacements) {
      if (await tx.keys.replaceRootWrapped(blob.kind, blob.id, blob.blob, next)) changed++;
    }
    return changed;
  });
}
