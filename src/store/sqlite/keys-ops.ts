// SQLite implementation of KeyOps (see ../keys-ops.ts).
import type {
  AliasRecord,
  KeyHierarchyRecord,
  KeyMaterialRecord,
  KeyOps,
  KeyRecord,
  RootRotationRecord,
  RootWrappedBlob,
  RootWrappedKind,
} from "../keys-ops.js";
import {
  ALIAS_COLUMNS,
  KEY_COLUMNS,
  MATERIAL_COLUMNS,
  ROTATION_COLUMNS,
  keyRowConverters,
  type AliasColumns,
  type KeyColumns,
  type MaterialColumns,
  type HierarchyColumns,
  type RotationColumns,
} from "../key-rows.js";
import { UniqueViolationError } from "../store.js";
import type { Statement, StatementCache } from "./connection.js";


/** Table, id expression and blob column of each kind of root-wrapped blob. */
const WRAPPED: Record<RootWrappedKind, { table: string; id: string; blob: string }> = {
  "kms-key": { table: "kms_keys", id: "arn", blob: "wrapped_material" },
  "kms-material": { table: "kms_key_materials", id: "key_arn || ' ' || material_id", blob: "wrapped_material" },
  "access-key": { table: "access_keys", id: "access_key_id", blob: "sealed_secret" },
  "audit-signing-key": { table: "audit_signing_keys", id: "fingerprint", blob: "wrapped_private_key" },
};

const wrappedQueries = (kind: RootWrappedKind) => {
  const { table, id, blob } = WRAPPED[kind];
  const match = `substr(${blob}, 1, length(@prefix)) = @prefix`;
  return {
    list: `SELECT ${id} AS id, ${blob} AS blob FROM ${table} WHERE ${match} AND ${id} > @after ORDER BY ${id} LIMIT @limit`,
    count: `SELECT COUNT(*) AS n FROM ${table} WHERE ${match}`,
    replace: `UPDATE ${table} SET ${blob} = @replacement WHERE ${id} = @id AND ${blob} = @expected`,
  };
};
const WRAPPED_SQL = Object.fromEntries(
  (Object.keys(WRAPPED) as RootWrappedKind[]).map((kind) => [kind, wrappedQueries(kind)]),
) as Record<RootWrappedKind, ReturnType<typeof wrappedQueries>>;
const wrappedSql = (kind: RootWrappedKind) => WRAPPED_SQL[kind];

const SQL = {
  getKey: `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = ? AND region = ? AND key_id = ?`,
  getKeyByArn: `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE arn = ?`,
  insertKey: `INSERT INTO kms_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  updateKey: `UPDATE kms_keys SET key_state = ?, deletion_at = ?, rotation_due_at = ?, meta = ? WHERE arn = ?`,
  deleteKeyAliases: `DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND target_key_id = ?`,
  deleteKey: `DELETE FROM kms_keys WHERE arn = ?`,
  listKeys: `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = ? AND region = ? AND key_id > ? ORDER BY key_id LIMIT ?`,
  listKeysDue: `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE deletion_at <= @now
    UNION SELECT ${KEY_COLUMNS} FROM kms_keys WHERE rotation_due_at <= @now ORDER BY arn LIMIT @limit`,
  listMaterials: `SELECT ${MATERIAL_COLUMNS} FROM kms_key_materials WHERE key_arn = ? ORDER BY created_at, material_id`,
  insertMaterial: `INSERT INTO kms_key_materials (${MATERIAL_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
  getAlias: `SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?`,
  insertAlias: `INSERT INTO kms_aliases (${ALIAS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
  updateAlias: `UPDATE kms_aliases SET target_key_id = ?, updated_at = ? WHERE account_id = ? AND region = ? AND alias_name = ?`,
  deleteAlias: `DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?`,
  listAliases: `SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name > ? ORDER BY alias_name LIMIT ?`,
  listAliasesOfKey: `SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE account_id = ? AND region = ? AND target_key_id = ? AND alias_name > ? ORDER BY alias_name LIMIT ?`,
  getHierarchy: `SELECT mode, root_key_id, shares, threshold, verifier, updated_at FROM key_hierarchy WHERE id = 1`,
  putHierarchy: `INSERT INTO key_hierarchy (id, mode, root_key_id, shares, threshold, verifier, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, root_key_id = excluded.root_key_id, shares = excluded.shares,
      threshold = excluded.threshold, verifier = excluded.verifier, updated_at = excluded.updated_at`,
  getRootRotation: `SELECT ${ROTATION_COLUMNS} FROM root_key_rotations ORDER BY started_at DESC, rotation_id DESC LIMIT 1`,
  putRootRotation: `INSERT INTO root_key_rotations (${ROTATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (rotation_id) DO UPDATE SET new_wrapped_by_old = excluded.new_wrapped_by_old,
      old_wrapped_by_new = excluded.old_wrapped_by_new, new_verifier = excluded.new_verifier, phase = excluded.phase,
      finished_at = excluded.finished_at, total = excluded.total, rewrapped = excluded.rewrapped`,
} as const;

type KeyRow = KeyColumns<number>;
type MaterialRow = MaterialColumns<number>;
type AliasRow = AliasColumns<number>;
type RotationRow = RotationColumns<number>;
const { toKey, toMaterial, toAlias, toRotation, toHierarchy } = keyRowConverters<number>((value) => value);

function insertOnce(what: string, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") throw new UniqueViolationError(what);
    throw err;
  }
}

export class SqliteKeyOps implements KeyOps {
  constructor(
    protected readonly statements: StatementCache,
    protected readonly assertUsable: () => void,
  ) {}

  private st(sql: string): Statement {
    this.assertUsable();
    return this.statements.get(sql);
  }

  async getKey(accountId: string, region: string, keyId: string): Promise<KeyRecord | undefined> {
    const r = this.st(SQL.getKey).get(accountId, region, keyId) as KeyRow | undefined;
    return r && toKey(r);
  }

  async getKeyByArn(arn: string): Promise<KeyRecord | undefined> {
    const r = this.st(SQL.getKeyByArn).get(arn) as KeyRow | undefined;
    return r && toKey(r);
  }

  async insertKey(row: KeyRecord): Promise<void> {
    insertOnce(`KMS key ${row.arn}${row.alias === null ? "" : ` or alias ${row.alias}`}`, () =>
      this.st(SQL.insertKey).run(
        row.accountId,
        row.region,
        row.keyId,
        row.arn,
        row.alias,
        row.wrappedMaterial,
        row.createdAt,
        JSON.stringify(row.meta),
        row.state,
        row.deletionAt,
        row.rotationDueAt,
      ),
    );
  }

  async updateKey(row: KeyRecord): Promise<void> {
    this.st(SQL.updateKey).run(row.state, row.deletionAt, row.rotationDueAt, JSON.stringify(row.meta), row.arn);
  }

  async deleteKey(arn: string): Promise<void> {
    const key = this.st(SQL.getKeyByArn).get(arn) as KeyRow | undefined;
    if (!key) return;
    this.st(SQL.deleteKeyAliases).run(key.account_id, key.region, key.key_id);
    this.st(SQL.deleteKey).run(arn);
  }

  async listKeys(accountId: string, region: string, afterKeyId: string | undefined, limit: number): Promise<KeyRecord[]> {
    return (this.st(SQL.listKeys).all(accountId, region, afterKeyId ?? "", limit) as KeyRow[]).map(toKey);
  }

  async listKeysDue(now: number, limit: number): Promise<KeyRecord[]> {
    return (this.st(SQL.listKeysDue).all({ now, limit }) as KeyRow[]).map(toKey);
  }

  async listMaterials(keyArn: string): Promise<KeyMaterialRecord[]> {
    return (this.st(SQL.listMaterials).all(keyArn) as MaterialRow[]).map(toMaterial);
  }

  async insertMaterial(row: KeyMaterialRecord): Promise<void> {
    insertOnce(`key material ${row.materialId} of ${row.keyArn}`, () =>
      this.st(SQL.insertMaterial).run(row.keyArn, row.materialId, row.wrappedMaterial, row.createdAt, row.rotationType),
    );
  }

  async getAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined> {
    const r = this.st(SQL.getAlias).get(accountId, region, aliasName) as AliasRow | undefined;
    return r && toAlias(r);
  }

  async insertAlias(row: AliasRecord): Promise<void> {
    insertOnce(`alias ${row.aliasName}`, () =>
      this.st(SQL.insertAlias).run(row.accountId, row.region, row.aliasName, row.targetKeyId, row.createdAt, row.updatedAt),
    );
  }

  async updateAlias(row: AliasRecord): Promise<void> {
    this.st(SQL.updateAlias).run(row.targetKeyId, row.updatedAt, row.accountId, row.region, row.aliasName);
  }

  async deleteAlias(accountId: string, region: string, aliasName: string): Promise<void> {
    this.st(SQL.deleteAlias).run(accountId, region, aliasName);
  }

  async listAliases(
    accountId: string,
    region: string,
    targetKeyId: string | undefined,
    afterName: string | undefined,
    limit: number,
  ): Promise<AliasRecord[]> {
    const rows =
      targetKeyId === undefined
        ? this.st(SQL.listAliases).all(accountId, region, afterName ?? "", limit)
        : this.st(SQL.listAliasesOfKey).all(accountId, region, targetKeyId, afterName ?? "", limit);
    return (rows as AliasRow[]).map(toAlias);
  }

  async getHierarchy(): Promise<KeyHierarchyRecord | undefined> {
    const r = this.st(SQL.getHierarchy).get() as HierarchyColumns<number> | undefined;
    return r && toHierarchy(r);
  }

  async putHierarchy(row: KeyHierarchyRecord): Promise<void> {
    this.st(SQL.putHierarchy).run(row.mode, row.rootKeyId, row.shares, row.threshold, row.verifier, row.updatedAt);
  }

  async getRootRotation(): Promise<RootRotationRecord | undefined> {
    const r = this.st(SQL.getRootRotation).get() as RotationRow | undefined;
    return r && toRotation(r);
  }

  async putRootRotation(row: RootRotationRecord): Promise<void> {
    this.st(SQL.putRootRotation).run(
      row.rotationId,
      row.oldKeyId,
      row.newKeyId,
      row.newWrappedByOld,
      row.oldWrappedByNew,
      row.newVerifier,
      row.phase,
      row.startedAt,
      row.finishedAt,
      row.total,
      row.rewrapped,
    );
  }

  async listRootWrapped(kind: RootWrappedKind, prefix: Buffer, afterId: string | undefined, limit: number): Promise<RootWrappedBlob[]> {
    const rows = this.st(wrappedSql(kind).list).all({ prefix, after: afterId ?? "", limit }) as Array<{ id: string; blob: Buffer }>;
    return rows.map((r) => ({ kind, id: r.id, blob: r.blob }));
  }

  async countRootWrapped(kind: RootWrappedKind, prefix: Buffer): Promise<number> {
    return (this.st(wrappedSql(kind).count).get({ prefix }) as { n: number }).n;
  }

  async replaceRootWrapped(kind: RootWrappedKind, id: string, expected: Buffer, replacement: Buffer): Promise<boolean> {
    return this.st(wrappedSql(kind).replace).run({ id, expected, replacement }).changes === 1;
  }
}
