// Column-level shapes of the KMS and root-key tables, and their conversion to KeyOps' records,
// shared by both backends (see row-converters.ts for how their time columns differ).
import type { AliasRecord, KeyHierarchyRecord, KeyMaterialRecord, KeyRecord, KmsKeyState, RootRotationPhase, RootRotationRecord } from "./keys-ops.js";
import { rowConverters, type KmsKeyColumns } from "./row-converters.js";

export const KEY_COLUMNS =
  "account_id, region, key_id, arn, alias, wrapped_material, created_at, meta, key_state, deletion_at, rotation_due_at";
export const MATERIAL_COLUMNS = "key_arn, material_id, wrapped_material, created_at, rotation_type";
export const ALIAS_COLUMNS = "account_id, region, alias_name, target_key_id, created_at, updated_at";
export const ROTATION_COLUMNS =
  "rotation_id, old_key_id, new_key_id, new_wrapped_by_old, old_wrapped_by_new, new_verifier, phase, started_at, finished_at, total, rewrapped";

/** The kms_keys row as KeyOps reads it: the core store's columns and the key's lifecycle. */
export interface KeyColumns<Time> extends KmsKeyColumns<Time> {
  key_state: KmsKeyState;
  deletion_at: Time | null;
  rotation_due_at: Time | null;
}

export interface MaterialColumns<Time> {
  key_arn: string;
  material_id: string;
  wrapped_material: Buffer;
  created_at: Time;
  rotation_type: "AUTOMATIC" | "ON_DEMAND";
}

export interface AliasColumns<Time> {
  account_id: string;
  region: string;
  alias_name: string;
  target_key_id: string;
  created_at: Time;
  updated_at: Time;
}

export interface RotationColumns<Time> {
  rotation_id: string;
  old_key_id: string;
  new_key_id: string;
  new_wrapped_by_old: Buffer | null;
  old_wrapped_by_new: Buffer | null;
  new_verifier: Buffer | null;
  phase: RootRotationPhase;
  started_at: Time;
  finished_at: Time | null;
  total: number;
  rewrapped: number;
}

export interface HierarchyColumns<Time> {
  mode: "file" | "shamir";
  root_key_id: string;
  shares: number | null;
  threshold: number | null;
  verifier: Buffer | null;
  updated_at: Time;
}

/** The converters for a backend whose time columns arrive as `Time`. */
export function keyRowConverters<Time>(time: (value: Time) => number) {
  const maybeTime = (v: Time | null): number | null => (v === null ? null : time(v));
  const { toKmsKey } = rowConverters(time);
  const toKey = (r: KeyColumns<Time>): KeyRecord => ({
    ...toKmsKey(r),
    state: r.key_state,
    deletionAt: maybeTime(r.deletion_at),
    rotationDueAt: maybeTime(r.rotation_due_at),
  });

  const toMaterial = (r: MaterialColumns<Time>): KeyMaterialRecord => ({
    keyArn: r.key_arn,
    materialId: r.material_id,
    wrappedMaterial: r.wrapped_material,
    createdAt: time(r.created_at),
    rotationType: r.rotation_type,
  });

  const toAlias = (r: AliasColumns<Time>): AliasRecord => ({
    accountId: r.account_id,
    region: r.region,
    aliasName: r.alias_name,
    targetKeyId: r.target_key_id,
    createdAt: time(r.created_at),
    updatedAt: time(r.updated_at),
  });

  const toRotation = (r: RotationColumns<Time>): RootRotationRecord => ({
    rotationId: r.rotation_id,
    oldKeyId: r.old_key_id,
    newKeyId: r.new_key_id,
    newWrappedByOld: r.new_wrapped_by_old,
    oldWrappedByNew: r.old_wrapped_by_new,
    newVerifier: r.new_verifier,
    phase: r.phase,
    startedAt: time(r.started_at),
    finishedAt: maybeTime(r.finished_at),
    total: r.total,
    rewrapped: r.rewrapped,
  });
  const toHierarchy = (r: HierarchyColumns<Time>): KeyHierarchyRecord => ({
    mode: r.mode,
    rootKeyId: r.root_key_id,
    shares: r.shares,
    threshold: r.threshold,
    verifier: r.verifier,
    updatedAt: time(r.updated_at),
  });
  return { toKey, toMaterial, toAlias, toRotation, toHierarchy };
}
