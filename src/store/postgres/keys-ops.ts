// PostgreSQL implementation of KeyOps (see ../keys-ops.ts).
import type { QueryResultRow } from "pg";
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
import type { Execute } from "./pg-ops.js";

type BigintText = string;


interface Query {
  name: string;
  text: string;
}
const q = (name: string, text: string): Query => ({ name: `keys_${name}`, text });

/** Table, id expression and blob column of each kind of root-wrapped blob. */
const WRAPPED: Record<RootWrappedKind, { table: string; id: string; blob: string }> = {
  "kms-key": { table: "kms_keys", id: "arn", blob: "wrapped_material" },
  "kms-material": { table: "kms_key_materials", id: "(key_arn || ' ' || material_id)", blob: "wrapped_material" },
  "access-key": { table: "access_keys", id: "access_key_id", blob: "sealed_secret" },
  "audit-signing-key": { table: "audit_signing_keys", id: "fingerprint", blob: "wrapped_private_key" },
};

const wrappedQueries = (kind: RootWrappedKind) => {
  const { table, id, blob } = WRAPPED[kind];
  const match = `substring(${blob} from 1 for length($1::bytea)) = $1::bytea`;
  const tag = kind.replaceAll("-", "_");
  return {
    // COLLATE "C": ids compare by bytes, as on SQLite.
    list: q(`wrapped_list_${tag}`, `SELECT ${id} AS id, ${blob} AS blob FROM ${table} WHERE ${match} AND ${id} COLLATE "C" > $2 ORDER BY ${id} COLLATE "C" LIMIT $3`),
    count: q(`wrapped_count_${tag}`, `SELECT COUNT(*) AS n FROM ${table} WHERE ${match}`),
    replace: q(`wrapped_replace_${tag}`, `UPDATE ${table} SET ${blob} = $3 WHERE ${id} = $1 AND ${blob} = $2`),
  };
};
const WRAPPED_SQL = Object.fromEntries(
  (Object.keys(WRAPPED) as RootWrappedKind[]).map((kind) => [kind, wrappedQueries(kind)]),
) as Record<RootWrappedKind, ReturnType<typeof wrappedQueries>>;

const Q = {
  getKey: q("get_key", `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 AND region = $2 AND key_id = $3`),
  getKeyLocked: q("get_key_locked", `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 AND region = $2 AND key_id = $3 FOR UPDATE`),
  getKeyByArn: q("get_key_by_arn", `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE arn = $1`),
  getKeyByArnLocked: q("get_key_by_arn_locked", `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE arn = $1 FOR UPDATE`),
  insertKey: q(
    "insert_key",
    `INSERT INTO kms_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
  ),
  updateKey: q("update_key", `UPDATE kms_keys SET key_state = $2, deletion_at = $3, rotation_due_at = $4, meta = $5 WHERE arn = $1`),
  deleteKey: q(
    "delete_key",
    `WITH gone AS (DELETE FROM kms_keys WHERE arn = $1 RETURNING account_id, region, key_id)
     DELETE FROM kms_aliases a USING gone WHERE a.account_id = gone.account_id AND a.region = gone.region AND a.target_key_id = gone.key_id`,
  ),
  listKeys: q(
    "list_keys",
    `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 AND region = $2 AND key_id > $3 ORDER BY key_id LIMIT $4`,
  ),
  listKeysDue: q(
    "list_keys_due",
    `SELECT ${KEY_COLUMNS} FROM kms_keys WHERE deletion_at <= $1 OR rotation_due_at <= $1 ORDER BY arn LIMIT $2`,
  ),
  listMaterials: q("list_materials", `SELECT ${MATERIAL_COLUMNS} FROM kms_key_materials WHERE key_arn = $1 ORDER BY created_at, material_id`),
  insertMaterial: q("insert_material", `INSERT INTO kms_key_materials (${MATERIAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`),
  getAlias: q("get_alias", `SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3`),
  insertAlias: q("insert_alias", `INSERT INTO kms_aliases (${ALIAS_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`),
  updateAlias: q(
    "update_alias",
    `UPDATE kms_aliases SET target_key_id = $4, updated_at = $5 WHERE account_id = $1 AND region = $2 AND alias_name = $3`,
  ),
  deleteAlias: q("delete_alias", `DELETE FROM kms_aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3`),
  listAliases: q(
    "list_aliases",
    `SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE account_id = $1 AND region = $2 AND alias_name > $3 ORDER BY alias_name LIMIT $4`,
  ),
  listAliasesOfKey: q(
    "list_aliases_of_key",
    `SELECT ${ALIAS_COLUMNS} FROM kms_aliases WHERE account_id = $1 AND region = $2 AND target_key_id = $3 AND alias_name > $4 ORDER BY alias_name LIMIT $5`,
  ),
  getHierarchy: q("get_hierarchy", `SELECT mode, root_key_id, shares, threshold, verifier, updated_at FROM key_hierarchy WHERE id = 1`),
  putHierarchy: q(
    "put_hierarchy",
    `INSERT INTO key_hierarchy (id, mode, root_key_id, shares, threshold, verifier, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, root_key_id = excluded.root_key_id, shares = excluded.shares,
       threshold = excluded.threshold, verifier = excluded.verifier, updated_at = excluded.updated_at`,
  ),
  getRootRotation: q("get_root_rotation", `SELECT ${ROTATION_COLUMNS} FROM root_key_rotations ORDER BY started_at DESC, rotation_id DESC LIMIT 1`),
  putRootRotation: q(
    "put_root_rotation",
    `INSERT INTO root_key_rotations (${ROTATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (rotation_id) DO UPDATE SET new_wrapped_by_old = excluded.new_wrapped_by_old,
       old_wrapped_by_new = excluded.old_wrapped_by_new, new_verifier = excluded.new_verifier, phase = excluded.phase,
       finished_at = excluded.finished_at, total = excluded.total, rewrapped = excluded.rewrapped`,
  ),
} as const;

type KeyRow = KeyColumns<BigintText>;
type MaterialRow = MaterialColumns<BigintText>;
type AliasRow = AliasColumns<BigintText>;
type RotationRow = RotationColumns<BigintText>;
const { toKey, toMaterial, toAlias, toRotation, toHierarchy } = keyRowConverters<BigintText>(Number);

export class PgKeyOps implements KeyOps {
  /** @param lockRows inside a transaction, lookups that precede an update take a row lock. */
  constructor(
    protected readonly execute: Execute,
    protected readonly lockRows: boolean,
  ) {}

  private async rows<R>(query: Query, values: unknown[]): Promise<R[]> {
    return (await this.execute({ name: query.name, text: query.text, values })).rows as R[];
  }

  private async first<R>(query: Query, values: unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(query, values))[0];
  }

  private async changed(query: Query, values: unknown[]): Promise<number> {
    return (await this.execute({ name: query.name, text: query.text, values })).rowCount ?? 0;
  }

  /** ON CONFLICT DO NOTHING: no row written means the key was taken. */
  private async insert(what: string, query: Query, values: unknown[]): Promise<void> {
    if ((await this.changed(query, values)) === 0) throw new UniqueViolationError(what);
  }

  async getKey(accountId: string, region: string, keyId: string): Promise<KeyRecord | undefined> {
    const r = await this.first<KeyRow>(this.lockRows ? Q.getKeyLocked : Q.getKey, [accountId, region, keyId]);
    return r && toKey(r);
  }

  async getKeyByArn(arn: string): Promise<KeyRecord | undefined> {
    const r = await this.first<KeyRow>(this.lockRows ? Q.getKeyByArnLocked : Q.getKeyByArn, [arn]);
    return r && toKey(r);
  }

  async insertKey(row: KeyRecord): Promise<void> {
    await this.insert(`KMS key ${row.arn}${row.alias === null ? "" : ` or alias ${row.alias}`}`, Q.insertKey, [
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
    ]);
  }

  async updateKey(row: KeyRecord): Promise<void> {
    await this.changed(Q.updateKey, [row.arn, row.state, row.deletionAt, row.rotationDueAt, JSON.stringify(row.meta)]);
  }

  async deleteKey(arn: string): Promise<void> {
    await this.changed(Q.deleteKey, [arn]);
  }

  async listKeys(accountId: string, region: string, afterKeyId: string | undefined, limit: number): Promise<KeyRecord[]> {
    return (await this.rows<KeyRow>(Q.listKeys, [accountId, region, afterKeyId ?? "", limit])).map(toKey);
  }

  async listKeysDue(now: number, limit: number): Promise<KeyRecord[]> {
    return (await this.rows<KeyRow>(Q.listKeysDue, [now, limit])).map(toKey);
  }

  async listMaterials(keyArn: string): Promise<KeyMaterialRecord[]> {
    return (await this.rows<MaterialRow>(Q.listMaterials, [keyArn])).map(toMaterial);
  }

  async insertMaterial(row: KeyMaterialRecord): Promise<void> {
    await this.insert(`key material ${row.materialId} of ${row.keyArn}`, Q.insertMaterial, [
      row.keyArn,
      row.materialId,
      row.wrappedMaterial,
      row.createdAt,
      row.rotationType,
    ]);
  }

  async getAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined> {
    const r = await this.first<AliasRow>(Q.getAlias, [accountId, region, aliasName]);
    return r && toAlias(r);
  }

  async insertAlias(row: AliasRecord): Promise<void> {
    await this.insert(`alias ${row.aliasName}`, Q.insertAlias, [
      row.accountId,
      row.region,
      row.aliasName,
      row.targetKeyId,
      row.createdAt,
      row.updatedAt,
    ]);
  }

  async updateAlias(row: AliasRecord): Promise<void> {
    await this.changed(Q.updateAlias, [row.accountId, row.region, row.aliasName, row.targetKeyId, row.updatedAt]);
  }

  async deleteAlias(accountId: string, region: string, aliasName: string): Promise<void> {
    await this.changed(Q.deleteAlias, [accountId, region, aliasName]);
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
        ? await this.rows<AliasRow>(Q.listAliases, [accountId, region, afterName ?? "", limit])
        : await this.rows<AliasRow>(Q.listAliasesOfKey, [accountId, region, targetKeyId, afterName ?? "", limit]);
    return rows.map(toAlias);
  }

  async getHierarchy(): Promise<KeyHierarchyRecord | undefined> {
    const r = await this.first<HierarchyColumns<BigintText>>(Q.getHierarchy, []);
    return r && toHierarchy(r);
  }

  async putHierarchy(row: KeyHierarchyRecord): Promise<void> {
    await this.changed(Q.putHierarchy, [row.mode, row.rootKeyId, row.shares, row.threshold, row.verifier, row.updatedAt]);
  }

  async getRootRotation(): Promise<RootRotationRecord | undefined> {
    const r = await this.first<RotationRow>(Q.getRootRotation, []);
    return r && toRotation(r);
  }

  async putRootRotation(row: RootRotationRecord): Promise<void> {
    await this.changed(Q.putRootRotation, [
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
    ]);
  }

  async listRootWrapped(kind: RootWrappedKind, prefix: Buffer, afterId: string | undefined, limit: number): Promise<RootWrappedBlob[]> {
    const rows = await this.rows<{ id: string; blob: Buffer } & QueryResultRow>(WRAPPED_SQL[kind].list, [prefix, afterId ?? "", limit]);
    return rows.map((r) => ({ kind, id: r.id, blob: r.blob }));
  }

  async countRootWrapped(kind: RootWrappedKind, prefix: Buffer): Promise<number> {
    const r = await this.first<{ n: string }>(WRAPPED_SQL[kind].count, [prefix]);
    return Number(r?.n ?? 0);
  }

  async replaceRootWrapped(kind: RootWrappedKind, id: string, expected: Buffer, replacement: Buffer): Promise<boolean> {
    return (await this.changed(WRAPPED_SQL[kind].replace, [id, expected, replacement])) === 1;
  }
}
