// The storage contract for identity and access (IAM users, groups, roles, policies, STS sessions). Part of every StoreOps as `ops.identity`: inside a
// transaction it writes in that transaction; on the Store itself it serves plain reads.
// Each backend implements it in <backend>/identity-ops.ts and both pass the same contract suite.
//
// Users, groups and roles share one table of "entities": they have the same identity columns, and
// the rest (tags, permissions boundary, trust policy, …) is opaque JSON. Names are unique per
// account and kind without regard to case, as IAM names are; references between rows (group
// membership, inline policies, attachments) use the entity's unique id, so a rename touches one row.
// Policy documents are stored as the caller gave them. Access keys of IAM users live in the core
// access_keys table (with the account roots' keys); this contract adds the queries IAM needs on it.
import type { AccessKeyRow } from "./store.js";

export type EntityKind = "user" | "group" | "role";

export interface EntityRow {
  /** The unique id: AIDA… for users, AGPA… for groups, AROA… for roles. */
  id: string;
  accountId: string;
  kind: EntityKind;
  name: string;
  path: string;
  arn: string;
  createdAt: number;
  /** Everything else; opaque to the store. */
  attrs: Record<string, unknown>;
}

export interface InlinePolicyRow {
  ownerId: string;
  policyName: string;
  document: string;
}

export interface ManagedPolicyRow {
  arn: string;
  accountId: string;
  /** ANPA… */
  id: string;
  name: string;
  path: string;
  defaultVersionId: string;
  /** The number the next CreatePolicyVersion takes (v1, v2, … are never reused). */
  nextVersion: number;
  createdAt: number;
  updatedAt: number;
  /** Description, tags; opaque to the store. */
  attrs: Record<string, unknown>;
}

export interface PolicyVersionRow {
  policyArn: string;
  versionId: string;
  document: string;
  createdAt: number;
}

/** The temporary credentials of one STS session. */
export interface SessionRow {
  /** ASIA… */
  accessKeyId: string;
  accountId: string;
  /** A hash of the session token: the token itself is never stored. */
  tokenHash: string;
  /** The secret access key, sealed under a key only the token yields (see sts/session-credentials.ts). */
  sealedSecret: Buffer;
  roleArn: string;
  roleId: string;
  sessionName: string;
  issuedAt: number;
  expiresAt: number;
  /** Session policies, session tags, source identity; opaque to the store. */
  attrs: Record<string, unknown>;
}

export interface ListPage {
  /** Entities whose path starts with this text. */
  pathPrefix?: string;
  /** Rows strictly after this name in case-insensitive order. */
  afterName?: string;
  limit: number;
}

export interface IdentityOps {
  // users, groups, roles
  /** Case-insensitive name lookup within an account and kind. */
  getEntity(accountId: string, kind: EntityKind, name: string): Promise<EntityRow | undefined>;
  getEntityById(id: string): Promise<EntityRow | undefined>;
  getEntityByArn(arn: string): Promise<EntityRow | undefined>;
  /** Throws UniqueViolationError when the name (any case), id or ARN is taken. */
  insertEntity(row: EntityRow): Promise<void>;
  /** Replaces name, path, arn and attrs of the entity with this id. */
  updateEntity(row: EntityRow): Promise<void>;
  /** Removes the entity with its memberships, inline policies and attachments. */
  deleteEntity(id: string): Promise<void>;
  /** Ordered by name without regard to case. */
  listEntities(accountId: string, kind: EntityKind, page: ListPage): Promise<EntityRow[]>;

  // group membership
  /** false when the user already was a member. */
  addGroupMember(groupId: string, userId: string): Promise<boolean>;
  /** false when the user was not a member. */
  removeGroupMember(groupId: string, userId: string): Promise<boolean>;
  /** Groups of a user, by name. */
  listGroupsOfUser(userId: string): Promise<EntityRow[]>;
  /** Members of a group, by name. */
  listGroupMembers(groupId: string): Promise<EntityRow[]>;

  // inline policies
  /** Creates or replaces. */
  putInlinePolicy(row: InlinePolicyRow): Promise<void>;
  getInlinePolicy(ownerId: string, policyName: string): Promise<InlinePolicyRow | undefined>;
  deleteInlinePolicy(ownerId: string, policyName: string): Promise<boolean>;
  /** By policy name. */
  listInlinePolicies(ownerId: string): Promise<InlinePolicyRow[]>;

  // managed policies and their versions
  /** Throws UniqueViolationError when the ARN, id or the name (any case) in the account is taken. */
  insertManagedPolicy(row: ManagedPolicyRow): Promise<void>;
  getManagedPolicy(arn: string): Promise<ManagedPolicyRow | undefined>;
  updateManagedPolicy(row: ManagedPolicyRow): Promise<void>;
  /** Removes the policy with its versions. */
  deleteManagedPolicy(arn: string): Promise<void>;
  /** Ordered by name without regard to case. */
  listManagedPolicies(accountId: string, page: ListPage): Promise<ManagedPolicyRow[]>;
  insertPolicyVersion(row: PolicyVersionRow): Promise<void>;
  getPolicyVersion(policyArn: string, versionId: string): Promise<PolicyVersionRow | undefined>;
  /** Oldest first. */
  listPolicyVersions(policyArn: string): Promise<PolicyVersionRow[]>;
  deletePolicyVersion(policyArn: string, versionId: string): Promise<void>;

  // attachments of managed policies to users, groups and roles
  /** false when already attached. */
  attachPolicy(ownerId: string, policyArn: string): Promise<boolean>;
  /** false when it was not attached. */
  detachPolicy(ownerId: string, policyArn: string): Promise<boolean>;
  /** Policy ARNs attached to an entity, in ARN order. */
  listAttachedPolicies(ownerId: string): Promise<string[]>;
  /** Entities a policy is attached to, in id order. */
  listPolicyAttachments(policyArn: string): Promise<EntityRow[]>;

  // access keys of IAM users (rows of the core access_keys table)
  /** Keys of one principal, oldest first. */
  listAccessKeysOf(principalArn: string): Promise<AccessKeyRow[]>;
  setAccessKeyStatus(accessKeyId: string, status: "Active" | "Inactive"): Promise<void>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
  /** A renamed or moved user keeps its keys. */
  renameAccessKeyPrincipal(oldArn: string, newArn: string): Promise<void>;

  // STS sessions
  insertSession(row: SessionRow): Promise<void>;
  getSession(accessKeyId: string): Promise<SessionRow | undefined>;
  /** Moves a session's expiry (it only ever gets earlier in normal use; tests move it into the past). */
  setSessionExpiry(accessKeyId: string, expiresAt: number): Promise<void>;
  /** Removes sessions that expired before `before`; returns how many. */
  deleteSessionsExpiredBefore(before: number): Promise<number>;

  /**
   * A counter raised by every change to identities, policies, keys or sessions. Processes that
   * cache authorization data compare it to notice changes made by other processes.
   */
  getGeneration(): Promise<number>;
  bumpGeneration(): Promise<void>;
}
