// IdentityOps over SQL, shared by both backends: the statements are written once in the subset
// SQLite and PostgreSQL agree on (`?` placeholders, numbered for PostgreSQL by its backend), and
// each backend supplies how to run one. Inserts use ON CONFLICT DO NOTHING and report a taken key
// as UniqueViolationError when no row was written, as the core tables do.
import type {
  EntityKind,
  EntityRow,
  IdentityOps,
  InlinePolicyRow,
  ListPage,
  ManagedPolicyRow,
  PolicyVersionRow,
  SessionRow,
} from "./identity-ops.js";
import { UniqueViolationError, type AccessKeyRow } from "./store.js";

const ENTITY = "id, account_id, kind, name, path, arn, created_at, attrs";
const ENTITY_E = "e.id, e.account_id, e.kind, e.name, e.path, e.arn, e.created_at, e.attrs";
const POLICY = "arn, account_id, id, name, path, default_version, next_version, created_at, updated_at, attrs";
const VERSION = "policy_arn, version_id, document, created_at";
const SESSION = "access_key_id, account_id, token_hash, sealed_secret, role_arn, role_id, session_name, issued_at, expires_at, attrs";
const ACCESS_KEY = "access_key_id, account_id, principal_arn, sealed_secret, status, created_at";

/** Statements; `lock` marks the lookups that take a row lock inside a PostgreSQL transaction. */
export const IDENTITY_SQL = {
  getEntity: `SELECT ${ENTITY} FROM iam_entities WHERE account_id = ? AND kind = ? AND lower(name) = lower(?)`,
  getEntityById: `SELECT ${ENTITY} FROM iam_entities WHERE id = ?`,
  getEntityByArn: `SELECT ${ENTITY} FROM iam_entities WHERE arn = ?`,
  insertEntity: `INSERT INTO iam_entities (${ENTITY}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  updateEntity: `UPDATE iam_entities SET name = ?, path = ?, arn = ?, attrs = ? WHERE id = ?`,
  deleteEntity: `DELETE FROM iam_entities WHERE id = ?`,
  deleteMembershipsOf: `DELETE FROM iam_group_members WHERE group_id = ? OR user_id = ?`,
  deleteInlineOf: `DELETE FROM iam_inline_policies WHERE owner_id = ?`,
  deleteAttachmentsOf: `DELETE FROM iam_attachments WHERE owner_id = ?`,
  listEntities: `SELECT ${ENTITY} FROM iam_entities
    WHERE account_id = ? AND kind = ? AND lower(name) > lower(?) AND substr(path, 1, length(?)) = ?
    ORDER BY lower(name) LIMIT ?`,
  addMember: `INSERT INTO iam_group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  removeMember: `DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?`,
  groupsOfUser: `SELECT ${ENTITY_E} FROM iam_group_members m JOIN iam_entities e ON e.id = m.group_id
    WHERE m.user_id = ? ORDER BY lower(e.name)`,
  membersOfGroup: `SELECT ${ENTITY_E} FROM iam_group_members m JOIN iam_entities e ON e.id = m.user_id
    WHERE m.group_id = ? ORDER BY lower(e.name)`,
  putInline: `INSERT INTO iam_inline_policies (owner_id, policy_name, document) VALUES (?, ?, ?)
    ON CONFLICT (owner_id, policy_name) DO UPDATE SET document = excluded.document`,
  getInline: `SELECT owner_id, policy_name, document FROM iam_inline_policies WHERE owner_id = ? AND policy_name = ?`,
  deleteInline: `DELETE FROM iam_inline_policies WHERE owner_id = ? AND policy_name = ?`,
  listInline: `SELECT owner_id, policy_name, document FROM iam_inline_policies WHERE owner_id = ? ORDER BY policy_name`,
  insertPolicy: `INSERT INTO iam_policies (${POLICY}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  getPolicy: `SELECT ${POLICY} FROM iam_policies WHERE arn = ?`,
  updatePolicy: `UPDATE iam_policies SET default_version = ?, next_version = ?, updated_at = ?, attrs = ? WHERE arn = ?`,
  deletePolicyVersions: `DELETE FROM iam_policy_versions WHERE policy_arn = ?`,
  deletePolicy: `DELETE FROM iam_policies WHERE arn = ?`,
  listPolicies: `SELECT ${POLICY} FROM iam_policies
    WHERE account_id = ? AND lower(name) > lower(?) AND substr(path, 1, length(?)) = ?
    ORDER BY lower(name) LIMIT ?`,
  insertVersion: `INSERT INTO iam_policy_versions (${VERSION}) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  getVersion: `SELECT ${VERSION} FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`,
  listVersions: `SELECT ${VERSION} FROM iam_policy_versions WHERE policy_arn = ? ORDER BY created_at, version_id`,
  deleteVersion: `DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`,
  attach: `INSERT INTO iam_attachments (owner_id, policy_arn) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  detach: `DELETE FROM iam_attachments WHERE owner_id = ? AND policy_arn = ?`,
  attachedTo: `SELECT policy_arn FROM iam_attachments WHERE owner_id = ? ORDER BY policy_arn`,
  attachmentsOf: `SELECT ${ENTITY_E} FROM iam_attachments a JOIN iam_entities e ON e.id = a.owner_id
    WHERE a.policy_arn = ? ORDER BY e.id`,
  accessKeysOf: `SELECT ${ACCESS_KEY} FROM access_keys WHERE principal_arn = ? ORDER BY created_at, access_key_id`,
  setAccessKeyStatus: `UPDATE access_keys SET status = ? WHERE access_key_id = ?`,
  deleteAccessKey: `DELETE FROM access_keys WHERE access_key_id = ?`,
  renameAccessKeys: `UPDATE access_keys SET principal_arn = ? WHERE principal_arn = ?`,
  insertSession: `INSERT INTO sts_sessions (${SESSION}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  getSession: `SELECT ${SESSION} FROM sts_sessions WHERE access_key_id = ?`,
  setSessionExpiry: `UPDATE sts_sessions SET expires_at = ? WHERE access_key_id = ?`,
  deleteExpiredSessions: `DELETE FROM sts_sessions WHERE expires_at < ?`,
  getGeneration: `SELECT value FROM iam_generation WHERE id = 1`,
  bumpGeneration: `UPDATE iam_generation SET value = value + 1 WHERE id = 1`,
} as const;

export type IdentityStatement = keyof typeof IDENTITY_SQL;

/** Statements that read a row the caller may then update: locked inside a PostgreSQL transaction. */
export const LOCKED_READS: ReadonlySet<IdentityStatement> = new Set<IdentityStatement>([
  "getEntity",
  "getEntityById",
  "getEntityByArn",
  "getPolicy",
]);

type Row = Record<string, unknown>;

// node-postgres hands bigint columns back as text; SQLite as numbers. Both become numbers here.
const time = (value: unknown): number => Number(value);
const json = (value: unknown): Record<string, unknown> => JSON.parse(String(value)) as Record<string, unknown>;

const toEntity = (r: Row): EntityRow => ({
  id: String(r.id),
  accountId: String(r.account_id),
  kind: r.kind as EntityKind,
  name: String(r.name),
  path: String(r.path),
  arn: String(r.arn),
  createdAt: time(r.created_at),
  attrs: json(r.attrs),
});

const toPolicy = (r: Row): ManagedPolicyRow => ({
  arn: String(r.arn),
  accountId: String(r.account_id),
  id: String(r.id),
  name: String(r.name),
  path: String(r.path),
  defaultVersionId: String(r.default_version),
  nextVersion: time(r.next_version),
  createdAt: time(r.created_at),
  updatedAt: time(r.updated_at),
  attrs: json(r.attrs),
});

const toVersion = (r: Row): PolicyVersionRow => ({
  policyArn: String(r.policy_arn),
  versionId: String(r.version_id),
  document: String(r.document),
  createdAt: time(r.created_at),
});

const toInline = (r: Row): InlinePolicyRow => ({
  ownerId: String(r.owner_id),
  policyName: String(r.policy_name),
  document: String(r.document),
});

const toSession = (r: Row): SessionRow => ({
  accessKeyId: String(r.access_key_id),
  accountId: String(r.account_id),
  tokenHash: String(r.token_hash),
  sealedSecret: r.sealed_secret as Buffer,
  roleArn: String(r.role_arn),
  roleId: String(r.role_id),
  sessionName: String(r.session_name),
  issuedAt: time(r.issued_at),
  expiresAt: time(r.expires_at),
  attrs: json(r.attrs),
});

const toAccessKey = (r: Row): AccessKeyRow => ({
  accessKeyId: String(r.access_key_id),
  accountId: String(r.account_id),
  principalArn: String(r.principal_arn),
  sealedSecret: r.sealed_secret as Buffer,
  status: r.status as "Active" | "Inactive",
  createdAt: time(r.created_at),
});

const prefixArgs = (page: ListPage): [string, string] => {
  const prefix = page.pathPrefix ?? "";
  return [prefix, prefix];
};

/** The backend's part: run one statement. */
export abstract class SqlIdentityOps implements IdentityOps {
  protected abstract all(statement: IdentityStatement, params: unknown[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  protected abstract run(statement: IdentityStatement, params: unknown[]): Promise<number>;

  private async first(statement: IdentityStatement, params: unknown[]): Promise<Row | undefined> {
    return (await this.all(statement, params))[0];
  }

  private async insert(what: string, statement: IdentityStatement, params: unknown[]): Promise<void> {
    if ((await this.run(statement, params)) === 0) throw new UniqueViolationError(what);
  }

  async getEntity(accountId: string, kind: EntityKind, name: string): Promise<EntityRow | undefined> {
    const r = await this.first("getEntity", [accountId, kind, name]);
    return r && toEntity(r);
  }

  async getEntityById(id: string): Promise<EntityRow | undefined> {
    const r = await this.first("getEntityById", [id]);
    return r && toEntity(r);
  }

  async getEntityByArn(arn: string): Promise<EntityRow | undefined> {
    const r = await this.first("getEntityByArn", [arn]);
    return r && toEntity(r);
  }

  async insertEntity(row: EntityRow): Promise<void> {
    await this.insert(`${row.kind} ${row.name}`, "insertEntity", [
      row.id,
      row.accountId,
      row.kind,
      row.name,
      row.path,
      row.arn,
      row.createdAt,
      JSON.stringify(row.attrs),
    ]);
  }

  async updateEntity(row: EntityRow): Promise<void> {
    await this.run("updateEntity", [row.name, row.path, row.arn, JSON.stringify(row.attrs), row.id]);
  }

  async deleteEntity(id: string): Promise<void> {
    // Explicit deletes rather than relying on ON DELETE CASCADE (SQLite enforces it only with
    // foreign_keys on, which every Coffer connection sets, but a store must not depend on that).
    await this.run("deleteMembershipsOf", [id, id]);
    await this.run("deleteInlineOf", [id]);
    await this.run("deleteAttachmentsOf", [id]);
    await this.run("deleteEntity", [id]);
  }

  async listEntities(accountId: string, kind: EntityKind, page: ListPage): Promise<EntityRow[]> {
    const rows = await this.all("listEntities", [accountId, kind, page.afterName ?? "", ...prefixArgs(page), page.limit]);
    return rows.map(toEntity);
  }

  async addGroupMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.run("addMember", [groupId, userId])) > 0;
  }

  async removeGroupMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.run("removeMember", [groupId, userId])) > 0;
  }

  async listGroupsOfUser(userId: string): Promise<EntityRow[]> {
    return (await this.all("groupsOfUser", [userId])).map(toEntity);
  }

  async listGroupMembers(groupId: string): Promise<EntityRow[]> {
    return (await this.all("membersOfGroup", [groupId])).map(toEntity);
  }

  async putInlinePolicy(row: InlinePolicyRow): Promise<void> {
    await this.run("putInline", [row.ownerId, row.policyName, row.document]);
  }

  async getInlinePolicy(ownerId: string, policyName: string): Promise<InlinePolicyRow | undefined> {
    const r = await this.first("getInline", [ownerId, policyName]);
    return r && toInline(r);
  }

  async deleteInlinePolicy(ownerId: string, policyName: string): Promise<boolean> {
    return (await this.run("deleteInline", [ownerId, policyName])) > 0;
  }

  async listInlinePolicies(ownerId: string): Promise<InlinePolicyRow[]> {
    return (await this.all("listInline", [ownerId])).map(toInline);
  }

  async insertManagedPolicy(row: ManagedPolicyRow): Promise<void> {
    await this.insert(`policy ${row.name}`, "insertPolicy", [
      row.arn,
      row.accountId,
      row.id,
      row.name,
      row.path,
      row.defaultVersionId,
      row.nextVersion,
      row.createdAt,
      row.updatedAt,
      JSON.stringify(row.attrs),
    ]);
  }

  async getManagedPolicy(arn: string): Promise<ManagedPolicyRow | undefined> {
    const r = await this.first("getPolicy", [arn]);
    return r && toPolicy(r);
  }

  async updateManagedPolicy(row: ManagedPolicyRow): Promise<void> {
    await this.run("updatePolicy", [row.defaultVersionId, row.nextVersion, row.updatedAt, JSON.stringify(row.attrs), row.arn]);
  }

  async deleteManagedPolicy(arn: string): Promise<void> {
    await this.run("deletePolicyVersions", [arn]);
    await this.run("deletePolicy", [arn]);
  }

  async listManagedPolicies(accountId: string, page: ListPage): Promise<ManagedPolicyRow[]> {
    const rows = await this.all("listPolicies", [accountId, page.afterName ?? "", ...prefixArgs(page), page.limit]);
    return rows.map(toPolicy);
  }

  async insertPolicyVersion(row: PolicyVersionRow): Promise<void> {
    await this.insert(`policy version ${row.policyArn} ${row.versionId}`, "insertVersion", [
      row.policyArn,
      row.versionId,
      row.document,
      row.createdAt,
    ]);
  }

  async getPolicyVersion(policyArn: string, versionId: string): Promise<PolicyVersionRow | undefined> {
    const r = await this.first("getVersion", [policyArn, versionId]);
    return r && toVersion(r);
  }

  async listPolicyVersions(policyArn: string): Promise<PolicyVersionRow[]> {
    return (await this.all("listVersions", [policyArn])).map(toVersion);
  }

  async deletePolicyVersion(policyArn: string, versionId: string): Promise<void> {
    await this.run("deleteVersion", [policyArn, versionId]);
  }

  async attachPolicy(ownerId: string, policyArn: string): Promise<boolean> {
    return (await this.run("attach", [ownerId, policyArn])) > 0;
  }

  async detachPolicy(ownerId: string, policyArn: string): Promise<boolean> {
    return (await this.run("detach", [ownerId, policyArn])) > 0;
  }

  async listAttachedPolicies(ownerId: string): Promise<string[]> {
    return (await this.all("attachedTo", [ownerId])).map((r) => String(r.policy_arn));
  }

  async listPolicyAttachments(policyArn: string): Promise<EntityRow[]> {
    return (await this.all("attachmentsOf", [policyArn])).map(toEntity);
  }

  async listAccessKeysOf(principalArn: string): Promise<AccessKeyRow[]> {
    return (await this.all("accessKeysOf", [principalArn])).map(toAccessKey);
  }

  async setAccessKeyStatus(accessKeyId: string, status: "Active" | "Inactive"): Promise<void> {
    await this.run("setAccessKeyStatus", [status, accessKeyId]);
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    await this.run("deleteAccessKey", [accessKeyId]);
  }

  async renameAccessKeyPrincipal(oldArn: string, newArn: string): Promise<void> {
    await this.run("renameAccessKeys", [newArn, oldArn]);
  }

  async insertSession(row: SessionRow): Promise<void> {
    await this.insert(`session ${row.accessKeyId}`, "insertSession", [
      row.accessKeyId,
      row.accountId,
      row.tokenHash,
      row.sealedSecret,
      row.roleArn,
      row.roleId,
      row.sessionName,
      row.issuedAt,
      row.expiresAt,
      JSON.stringify(row.attrs),
    ]);
  }

  async getSession(accessKeyId: string): Promise<SessionRow | undefined> {
    const r = await this.first("getSession", [accessKeyId]);
    return r && toSession(r);
  }

  async setSessionExpiry(accessKeyId: string, expiresAt: number): Promise<void> {
    await this.run("setSessionExpiry", [expiresAt, accessKeyId]);
  }

  async deleteSessionsExpiredBefore(before: number): Promise<number> {
    return this.run("deleteExpiredSessions", [before]);
  }

  async getGeneration(): Promise<number> {
    const r = await this.first("getGeneration", []);
    return r === undefined ? 0 : time(r.value);
  }

  async bumpGeneration(): Promise<void> {
    await this.run("bumpGeneration", []);
  }
}
